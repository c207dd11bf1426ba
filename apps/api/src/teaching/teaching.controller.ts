import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AnyUser, Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { sendDownload } from '../common/download';
import { PageQuery } from '../common/paging';
import { UuidPipe } from '../common/uuid.pipe';
import { AbsenceBody, MarkBody, RegistrationBody, ScanBody, TeachingSessionBody } from './teaching.dto';
import { TeachingService } from './teaching.service';

const csv = (reply: FastifyReply, filename: string, body: string) =>
  reply.header('Content-Type', 'text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${filename}"`).send(body);

@ApiTags('teaching')
@Controller()
export class TeachingController {
  constructor(private readonly teaching: TeachingService) {}

  @Post('teaching-sessions')
  @Roles('admin')
  @ApiCreatedResponse({ description: 'The session published: title, kind, times, place, the promotions and UPP expected, seats, mandatory or not, its phase and its lead.' })
  create(@Auth() auth: AuthContext, @Body() body: TeachingSessionBody) {
    return this.teaching.create(auth, body);
  }

  @Get('teaching-sessions')
  @AnyUser()
  @ApiOkResponse({ description: 'Paged, by start: all for an admin; those a user leads; for an intern, those expecting them or they registered for.' })
  list(@Auth() auth: AuthContext, @Query() query: PageQuery) {
    return this.teaching.list(auth, query.page, query.pageSize);
  }

  @Get('teaching-sessions/:id')
  @AnyUser()
  @ApiOkResponse({ description: 'The session; with its roll for its lead and the admin, the intern’s own registration and attendance for an intern; 404 otherwise.' })
  get(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.teaching.get(auth, id);
  }

  @Post('teaching-sessions/:id/registrations')
  @Roles('intern', 'admin')
  @ApiCreatedResponse({ description: 'The session with the intern registered (themselves, or by an admin with `internId`); 409 when full or already registered; the last seat goes to one only.' })
  register(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: RegistrationBody) {
    return this.teaching.register(auth, id, body.internId);
  }

  @Delete('teaching-sessions/:id/registrations/:internId')
  @Roles('intern', 'admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The registration withdrawn (the intern’s own before the start, or by an admin).' })
  unregister(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Param('internId', UuidPipe) internId: string) {
    return this.teaching.unregister(auth, id, internId);
  }

  @Put('teaching-sessions/:id/attendance/:internId')
  @AnyUser()
  @ApiOkResponse({ description: 'The session with the registered intern ticked present or absent (its lead only: 403 for others who see it).' })
  mark(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Param('internId', UuidPipe) internId: string, @Body() body: MarkBody) {
    return this.teaching.mark(auth, id, internId, body.present);
  }

  @Get('teaching-sessions/:id/attendance-code')
  @AnyUser()
  @ApiOkResponse({ description: '`{ code, url, svg, rotatesAt }`: the room’s QR code for its lead, during the session only (409 otherwise); it changes every 30 seconds.' })
  code(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.teaching.attendanceCode(auth, id);
  }

  @Post('attendance-scans')
  @Roles('intern')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The intern marked present by the room’s code: 400 unknown or expired code, 409 outside the session’s window, another session’s code or a code already used, 403 not registered.' })
  scan(@Auth() auth: AuthContext, @Body() body: ScanBody) {
    return this.teaching.scan(auth, body.code, body.sessionId ?? null);
  }

  @Put('teaching-sessions/:id/absence')
  @Roles('intern')
  @ApiOkResponse({ description: 'The session with the intern’s absence justified by its reason (409 when marked present).' })
  justify(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: AbsenceBody) {
    return this.teaching.justify(auth, id, body.reason);
  }

  @Post('teaching-sessions/:id/absence/document')
  @Roles('intern')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ description: 'The session with the justification’s document (PDF, PNG or JPEG up to 10 MB, checked by content), replacing any before.' })
  upload(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Req() request: FastifyRequest) {
    return this.teaching.uploadJustification(auth, id, request);
  }

  @Get('teaching-sessions/:id/absences/:internId/document')
  @AnyUser()
  @ApiOkResponse({ description: 'The justification’s document, for the intern, the lead and the admin; audited.' })
  async download(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Param('internId', UuidPipe) internId: string, @Res() reply: FastifyReply): Promise<void> {
    const { document, redirect, stream } = await this.teaching.justification(auth, id, internId);
    sendDownload(reply, { redirect, stream, contentType: document.mimeType, size: document.size, disposition: `attachment; filename*=UTF-8''${encodeURIComponent(document.filename)}` });
  }

  @Get('teaching-sessions/:id/attendance.csv')
  @AnyUser()
  @ApiProduces('text/csv')
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ description: 'The session’s attendance for French Excel (`;`, UTF-8 with BOM, formula-safe), for its lead and the admin; audited.' })
  async sessionCsv(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    const { filename, body } = await this.teaching.sessionCsv(auth, id);
    csv(reply, filename, body);
  }

  @Get('portfolios/:internId/teaching-attendance.csv')
  @AnyUser()
  @ApiProduces('text/csv')
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ description: 'An intern’s attendance across sessions, for French Excel, for whoever reads their portfolio; audited.' })
  async internCsv(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string, @Res() reply: FastifyReply): Promise<void> {
    const { filename, body } = await this.teaching.internCsv(auth, internId);
    csv(reply, filename, body);
  }
}
