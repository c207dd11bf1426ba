import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode, Phase, PHASES, PhaseRules } from '@carnet/domain';
import { AnyUser, Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { UuidPipe } from '../common/uuid.pipe';
import { AssessmentsService } from './assessments.service';
import { PortfolioAccessService } from './portfolio-access.service';
import { AssessmentBody, ProgressQuery, RequirementBody } from './portfolios.dto';
import { ProgressService } from '@carnet/portfolio';
import { RequirementsService } from './requirements.service';

@ApiTags('progress')
@Controller()
export class PortfoliosController {
  constructor(
    private readonly access: PortfolioAccessService,
    private readonly progress: ProgressService,
    private readonly assessments: AssessmentsService,
    private readonly requirements: RequirementsService,
  ) {}

  @Get('portfolios/:internId/progress')
  @Roles('intern', 'tutor', 'jury', 'admin')
  @ApiOkResponse({ description: 'Per competence, famille and kind, from validated traces; requirements of the phase and the gaps in French.' })
  async getProgress(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string, @Query() query: ProgressQuery) {
    const { intern } = await this.access.read(auth, internId, 'progress');
    return this.progress.progress(intern, query.phase, new Date(), query.stageId);
  }

  @Post('portfolios/:internId/assessments')
  @Roles('tutor')
  @ApiCreatedResponse({ description: 'The assessment (201), or the amended one (200).' })
  async writeAssessment(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string, @Body() body: AssessmentBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.assessments.write(auth, internId, body);
    reply.status(result.created ? 201 : 200);
    return result.assessment;
  }

  @Get('portfolios/:internId/assessments')
  @Roles('intern', 'tutor', 'jury', 'admin')
  listAssessments(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string) {
    return this.assessments.list(auth, internId);
  }

  @Get('requirements')
  @AnyUser()
  @ApiOkResponse({ description: 'The current requirements of each phase.' })
  currentRequirements() {
    return this.requirements.current();
  }

  @Get('admin/requirements/:phase')
  @Roles('admin')
  requirementHistory(@Param('phase') phase: string) {
    return this.requirements.history(this.phaseOf(phase));
  }

  @Put('admin/requirements/:phase')
  @Roles('admin')
  @ApiOkResponse({ description: 'A new version of the phase’s requirements; decided phases keep theirs.' })
  updateRequirements(@Auth() auth: AuthContext, @Param('phase') phase: string, @Body() body: RequirementBody) {
    return this.requirements.update(auth, this.phaseOf(phase), body.rules as unknown as PhaseRules);
  }

  private phaseOf(phase: string): Phase {
    if (!(PHASES as readonly string[]).includes(phase)) throw new DomainError(ErrorCode.NotFound, 'Phase inconnue.');
    return phase as Phase;
  }
}
