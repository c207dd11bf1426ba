import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AnyUser, Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { sendDownload } from '../common/download';
import { UuidPipe } from '../common/uuid.pipe';
import { AttachmentsService } from './attachments.service';

@ApiTags('attachments')
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post('traces/:id/attachments')
  @Roles('intern')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ description: '`{ id, filename, size, sha256, mimeType }`; PDF, PNG or JPEG up to 10 MB, checked by content.' })
  upload(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Req() request: FastifyRequest) {
    return this.attachments.upload(auth, id, request);
  }

  @Get('attachments/:id')
  @AnyUser()
  async download(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    const { attachment, redirect, stream } = await this.attachments.download(auth, id);
    sendDownload(reply, { redirect, stream, contentType: attachment.mimeType, size: attachment.size, disposition: `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}` });
  }
}
