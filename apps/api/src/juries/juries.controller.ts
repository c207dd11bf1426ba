import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { UuidPipe } from '../common/uuid.pipe';
import { PortfolioAccessService } from '../portfolios/portfolio-access.service';
import { CreateJurySessionBody, DecisionBody, UpdateJurySessionBody } from './juries.dto';
import { JuriesService } from './juries.service';

@ApiTags('juries')
@Controller()
export class JuriesController {
  constructor(
    private readonly juries: JuriesService,
    private readonly portfolios: PortfolioAccessService,
  ) {}

  @Post('jury-sessions')
  @Roles('admin')
  @ApiCreatedResponse({ description: 'The session, with its members and interns.' })
  create(@Auth() auth: AuthContext, @Body() body: CreateJurySessionBody) {
    return this.juries.create(auth, body);
  }

  @Get('jury-sessions')
  @Roles('admin', 'jury')
  list(@Auth() auth: AuthContext) {
    return this.juries.list(auth);
  }

  @Get('jury-sessions/:id')
  @Roles('admin', 'jury')
  get(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.juries.get(auth, id);
  }

  @Patch('jury-sessions/:id')
  @Roles('admin')
  @ApiOkResponse({ description: 'The session with its new title, window, members or interns.' })
  @ApiConflictResponse({ description: 'The session is closed, or an intern being removed already has a decision.' })
  update(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: UpdateJurySessionBody) {
    return this.juries.update(auth, id, body);
  }

  @Post('jury-sessions/:id/close')
  @Roles('admin')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The session, closed now: its members lose access to its interns’ portfolios.' })
  @ApiConflictResponse({ description: 'The session is already closed.' })
  close(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.juries.close(auth, id);
  }

  @Get('jury-sessions/:id/interns/:internId/portfolio')
  @Roles('jury')
  portfolio(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Param('internId', UuidPipe) internId: string) {
    return this.juries.portfolio(auth, id, internId);
  }

  @Post('jury-sessions/:id/decisions')
  @Roles('jury')
  @ApiCreatedResponse({ description: 'The decision; one per intern and session, audited, immutable.' })
  decide(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: DecisionBody) {
    return this.juries.decide(auth, id, body);
  }

  @Get('portfolios/:internId/decisions')
  @Roles('intern', 'tutor', 'jury', 'admin')
  async decisions(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string) {
    const { relation } = await this.portfolios.relation(auth, internId);
    return this.juries.decisionsOf(auth, internId, relation);
  }
}
