import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiCreatedResponse({ description: '`{ id, filename, size, sha256, mimeType, createdAt, scan }`; PDF, PNG or JPEG up to 10 MB, checked by content. `scan.status` is `pending`: the worker scans the file for patient identifiers afterwards.' })
  upload(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Req() request: FastifyRequest) {
    return this.attachments.upload(auth, id, request);
  }

  @Get('attachments/:id')
  @AnyUser()
  async download(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    const { attachment, redirect, stream } = await this.attachments.download(auth, id);
    sendDownload(reply, { redirect, stream, contentType: attachment.mimeType, size: attachment.size, disposition: `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename)}` });
  }

  @Get('attachments/:id/scan')
  @AnyUser()
  @ApiOkResponse({ description: '`{ status: pending|done|failed, warnings: [{ kind, excerpt, message, page }], reason, scannedAt, warningsSeenAt }`: the worker’s scan of the file for patient identifiers.' })
  scan(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.attachments.scan(auth, id);
  }

  @Post('attachments/:id/scan/seen')
  @Roles('intern')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Records (once) that the intern was shown the scan’s warnings; the trace’s author only.' })
  async scanSeen(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string): Promise<void> {
    await this.attachments.markScanSeen(auth, id);
  }
}
