import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public, Roles } from '../auth/access.decorator';
import { Auth, AuthContext, Origin, RequestOrigin } from '../auth/auth-context';
import { sendDownload } from '../common/download';
import { UuidPipe } from '../common/uuid.pipe';
import { DirectorCommentBody, DirectorTokenBody, ThesisBody, ThesisCommentBody, ThesisStepBody, ThesisStepsTemplateBody } from './thesis.dto';
import { ThesisService } from './thesis.service';

@ApiTags('thesis')
@Controller()
export class ThesisController {
  constructor(private readonly thesis: ThesisService) {}

  @Get('portfolios/:internId/thesis')
  @Roles('intern', 'tutor', 'jury', 'admin')
  @ApiOkResponse({ description: 'The intern’s thesis: subject, director, steps with their dates and documents, the director’s comments. Read by the intern, their tutor, a sitting jury, an admin and the director (with an account); 404 otherwise or before it is declared.' })
  get(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string) {
    return this.thesis.get(auth, internId);
  }

  @Put('portfolios/:internId/thesis')
  @Roles('intern')
  @ApiOkResponse({ description: 'Declares (201) or amends (200) the thesis; the faculty’s steps are copied onto it when declared. Changing an external director revokes their link.' })
  async save(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string, @Body() body: ThesisBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const { created, thesis } = await this.thesis.save(auth, internId, body);
    reply.status(created ? 201 : 200);
    return thesis;
  }

  @Get('theses/directed')
  @Roles('tutor')
  @ApiOkResponse({ description: 'The theses the requester directs, with their stalled steps.' })
  directed(@Auth() auth: AuthContext) {
    return this.thesis.directed(auth);
  }

  @Patch('thesis-steps/:id')
  @Roles('intern')
  @ApiOkResponse({ description: 'The thesis with the step’s planned day, day done (not in the future) or note changed.' })
  updateStep(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: ThesisStepBody) {
    return this.thesis.updateStep(auth, id, body);
  }

  @Post('thesis-steps/:id/documents')
  @Roles('intern')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ description: 'The thesis with the document added to the step: PDF, PNG or JPEG up to 10 MB, checked by content.' })
  upload(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Req() request: FastifyRequest) {
    return this.thesis.upload(auth, id, request);
  }

  @Get('thesis-documents/:id')
  @Roles('intern', 'tutor', 'jury', 'admin')
  async download(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    const { document, redirect, stream } = await this.thesis.download(auth, id);
    sendDownload(reply, { redirect, stream, contentType: document.mimeType, size: document.size, disposition: `attachment; filename*=UTF-8''${encodeURIComponent(document.filename)}` });
  }

  @Post('theses/:id/comments')
  @Roles('tutor')
  @ApiCreatedResponse({ description: 'The thesis with the director’s comment (the director with an account only).' })
  comment(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: ThesisCommentBody) {
    return this.thesis.comment(auth, id, body.body);
  }

  @Post('theses/:id/director-link')
  @Roles('intern')
  @ApiCreatedResponse({ description: '`{ email, expiresAt, mailed, url? }`: a one-time link mailed to the director without an account (the one before is revoked); `url` when no mail leaves the machine.' })
  issueLink(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.thesis.issueDirectorLink(auth, id);
  }

  @Delete('theses/:id/director-link')
  @Roles('intern')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The director’s live link, if any, no longer works.' })
  async revokeLink(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string): Promise<void> {
    await this.thesis.revokeDirectorLink(auth, id);
  }

  @Post('thesis-director/view')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'What the director sees through their link (not used up by reading): 404 unknown, 400 used, revoked or expired.' })
  directorPage(@Body() body: DirectorTokenBody) {
    return this.thesis.directorPage(body.token);
  }

  @Post('thesis-director/comments')
  @Public()
  @ApiCreatedResponse({ description: 'The director’s comment through their link, which it uses up.' })
  directorComment(@Body() body: DirectorCommentBody, @Origin() origin: RequestOrigin) {
    return this.thesis.directorComment(body.token, body.body, origin);
  }

  @Get('admin/thesis-steps')
  @Roles('admin')
  @ApiOkResponse({ description: '`{ steps, custom }`: the faculty’s thesis steps (the defaults until it defines its own).' })
  template() {
    return this.thesis.template();
  }

  @Put('admin/thesis-steps')
  @Roles('admin')
  @ApiOkResponse({ description: 'The faculty’s steps for theses declared from now on.' })
  setTemplate(@Auth() auth: AuthContext, @Body() body: ThesisStepsTemplateBody) {
    return this.thesis.setTemplate(auth, body.steps);
  }
}
