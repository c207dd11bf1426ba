import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AnyUser, Roles } from '../auth/access.decorator';
import { Auth, AuthContext } from '../auth/auth-context';
import { csvCell } from '@carnet/domain';
import { UuidPipe } from '../common/uuid.pipe';
import { ChangeSupervisorsBody, CreateStageBody, DifficultyBody, FeesQuery, ListStagesQuery, PhaseBody } from './stages.dto';
import { StagesService } from './stages.service';

const euros = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');

@ApiTags('stages')
@Controller()
export class StagesController {
  constructor(private readonly stages: StagesService) {}

  @Post('stages')
  @Roles('admin')
  @ApiCreatedResponse({ description: 'The stage; a praticien_n1 needs 2–3 MSU, one référent, ≥ 8 half-days a week (else 422).' })
  create(@Auth() auth: AuthContext, @Body() body: CreateStageBody) {
    return this.stages.create(auth, body);
  }

  @Get('stages')
  @AnyUser()
  list(@Auth() auth: AuthContext, @Query() query: ListStagesQuery) {
    return this.stages.list(auth, query);
  }

  @Get('stages/:id')
  @AnyUser()
  get(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.stages.get(auth, id);
  }

  @Put('stages/:id/supervisors')
  @Roles('admin')
  @ApiOkResponse({ description: 'A dated change of supervisors; history is kept.' })
  changeSupervisors(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: ChangeSupervisorsBody) {
    return this.stages.changeSupervisors(auth, id, body.from, body.supervisors);
  }

  @Get('stages/:id/fees')
  @Roles('admin', 'tutor')
  @ApiOkResponse({ description: 'The 3,600 € split prorata temporis, in cents summing to 360000; `?format=csv` for accounting.' })
  async fees(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Query() query: FeesQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    const fees = await this.stages.fees(auth, id);
    if (query.format !== 'csv') return fees.lines;
    reply.header('Content-Type', 'text/csv; charset=utf-8');
    reply.header('Content-Disposition', `attachment; filename="honoraires-stage-${id}.csv"`);
    // Every cell through csvCell: a name such as `=HYPERLINK(…)` comes out as text, not a formula.
    const rows = fees.lines.map((l) =>
      [csvCell(id), csvCell(l.tutorId), csvCell(l.displayName, { quote: true }), csvCell(l.halfDaysPerWeek), csvCell(String(l.share).replace('.', ',')), csvCell(euros(l.amountCents))].join(';'),
    );
    return '\uFEFF' + ['stage;msu;nom;demi_journees_semaine;part;montant_euros', ...rows].join('\r\n') + '\r\n';
  }

  @Post('stages/:id/phase')
  @Roles('tutor')
  @ApiCreatedResponse({ description: 'The supervision phase (1 la rencontre … 5 autonomie) with its note; history kept, phases may go back.' })
  phase(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: PhaseBody) {
    return this.stages.recordPhase(auth, id, body.phase, body.note ?? '');
  }

  @Post('stages/:id/difficulties')
  @Roles('intern', 'tutor')
  @ApiCreatedResponse({ description: 'Reported to the stage and UPP coordinators only.' })
  report(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string, @Body() body: DifficultyBody) {
    return this.stages.reportDifficulty(auth, id, body.body);
  }

  @Get('stages/:id/difficulties')
  @AnyUser()
  difficulties(@Auth() auth: AuthContext, @Param('id', UuidPipe) id: string) {
    return this.stages.difficulties(auth, id);
  }

  @Get('portfolios/:internId/maquette')
  @Roles('intern', 'tutor', 'jury', 'admin')
  maquette(@Auth() auth: AuthContext, @Param('internId', UuidPipe) internId: string) {
    return this.stages.maquette(auth, internId);
  }
}
