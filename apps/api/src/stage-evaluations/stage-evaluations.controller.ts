import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '../auth/access.decorator';
import { Auth, AuthContext, Origin, RequestOrigin } from '../auth/auth-context';
import { UuidPipe } from '../common/uuid.pipe';
import { EvaluationBody, EvaluationTokenBody, EvaluatorBody, FeedbackBody, LinkEvaluationBody } from './stage-evaluations.dto';
import { StageEvaluationsService } from './stage-evaluations.service';

@ApiTags('stage evaluations')
@Controller()
export class StageEvaluationsController {
  constructor(private readonly evaluations: StageEvaluationsService) {}

  @Post('stages/:id/evaluation-links')
  @Roles('admin')
  @ApiCreatedResponse({ description: 'A one-time link mailed to an evaluator without an account (a hospital senior): `{ id, evaluatorName, evaluatorEmail, expiresAt, state, mailed, url? }`, `url` when no mail leaves the machine. Their live link for the stage, if any, is revoked.' })
  @ApiConflictResponse({ description: 'Before the form opens (14 days before the end), or the evaluator has evaluated the stage already.' })
  issueLink(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: EvaluatorBody) {
    return this.evaluations.issueLink(auth, id, body);
  }

  @Post('stage-evaluation-link/view')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ description: 'The stage, the intern’s name and the form, for the link’s holder (reading does not use the link up).' })
  @ApiNotFoundResponse({ description: 'Unknown link.' })
  @ApiBadRequestResponse({ description: 'Used, revoked (reissued) or expired, with a French sentence saying which.' })
  linkPage(@Body() body: EvaluationTokenBody, @Origin() origin: RequestOrigin) {
    return this.evaluations.linkPage(body.token, origin);
  }

  @Post('stage-evaluation-link/submit')
  @Public()
  @ApiCreatedResponse({ description: 'The evaluation through the link, which it uses up.' })
  submitByLink(@Body() body: LinkEvaluationBody, @Origin() origin: RequestOrigin) {
    const { token, ...evaluation } = body;
    return this.evaluations.submitByLink(token, evaluation, origin);
  }

  @Post('stages/:id/evaluations')
  @Roles('tutor')
  @ApiCreatedResponse({ description: 'The evaluation of the intern by a supervisor of the stage, signed in; final once sent.' })
  @ApiConflictResponse({ description: 'Before the form opens, or evaluated already.' })
  submit(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: EvaluationBody) {
    return this.evaluations.submitSigned(auth, id, body);
  }

  @Get('stage-evaluations/to-fill')
  @Roles('tutor')
  @ApiOkResponse({ description: 'The stages the requester supervised, newest first, with whether the form is open and their evaluation.' })
  toFill(@Auth() auth: AuthContext) {
    return this.evaluations.toFill(auth);
  }

  @Get('portfolios/:internId/stage-evaluations')
  @Roles('intern', 'tutor', 'jury', 'admin')
  @ApiOkResponse({ description: 'The intern’s stages with their submitted evaluations; the admin also gets the links, the intern whether they evaluated each stage. Read by the intern, their tutor, a sitting jury and the admin; 404 otherwise.' })
  portfolio(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string) {
    return this.evaluations.portfolio(auth, internId);
  }

  @Post('stages/:id/feedback')
  @Roles('intern')
  @ApiCreatedResponse({ description: 'The intern’s evaluation of their stage, once; never shown to its supervisors, nor to anyone one by one.' })
  @ApiConflictResponse({ description: 'Before the form opens, or answered already.' })
  feedback(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: FeedbackBody) {
    return this.evaluations.submitFeedback(auth, id, body);
  }

  @Get('admin/stage-feedback')
  @Roles('admin')
  @ApiOkResponse({ description: 'The interns’ evaluations of their stages, per place: aggregates from 3 answers; below, a French sentence and nothing else.' })
  feedbackSummary(@Auth() auth: AuthContext) {
    return this.evaluations.feedbackSummary(auth);
  }
}
