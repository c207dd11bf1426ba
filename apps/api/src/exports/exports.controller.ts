import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AnyUser, Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { sendDownload } from '../common/download';
import { UuidPipe } from '../common/uuid.pipe';
import { RequestExportBody } from './exports.dto';
import { ExportsService } from './exports.service';

@ApiTags('exports')
@Controller()
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post('portfolios/:internId/exports')
  @Roles('intern', 'tutor', 'jury', 'admin')
  @ApiAcceptedResponse({ description: '`{ id, status: "queued" }` and `Location`; the same pending request answers 200 with that export.' })
  async request(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string, @Body() body: RequestExportBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.exports.request(auth, internId, body);
    reply.status(result.created ? 202 : 200).header('Location', `/api/exports/${result.export.id}`);
    return result.export;
  }

  @Get('portfolios/:internId/exports')
  @Roles('intern', 'tutor', 'jury', 'admin')
  @ApiOkResponse({ description: 'The requester’s own exports of this portfolio (the 50 newest, newest first), while they may read it; 404 otherwise.' })
  list(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string) {
    return this.exports.list(auth, internId);
  }

  @Get('exports/:id')
  @AnyUser()
  @ApiOkResponse({ description: '`{ id, status, progress, size?, sha256?, pages?, error?, downloadUrl? }`' })
  get(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.exports.get(auth, id);
  }

  @Get('exports/:id/download')
  @AnyUser()
  @ApiOkResponse({ description: 'The file, or a 302 to a presigned URL valid 15 minutes.' })
  async download(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.exports.download(auth, id);
    sendDownload(reply, { ...file, disposition: `attachment; filename="${file.filename}"` });
  }
}
