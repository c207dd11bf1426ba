import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { Assessment, AssessmentRevision, JuryDecision, Tutorship, User } from '@carnet/database';
import { assertLevelsFit, COMPETENCE_CODES, displayName, DomainError, ErrorCode, LEVELS } from '@carnet/domain';
import type { OriginView } from '@carnet/contracts';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { AssessmentBody } from './portfolios.dto';
import { PortfolioAccessService } from './portfolio-access.service';

export interface AssessmentView {
  id: string;
  internId: string;
  tutor: { id: string; displayName: string };
  phase: string;
  levels: Record<string, string>;
  comment: string;
  recommendation: string;
  version: number;
  frozen: boolean;
  createdAt: string;
  updatedAt: string;
  history: { version: number; levels: Record<string, string>; comment: string; recommendation: string; createdAt: string }[];
  /** Written in another faculty, before the intern's portfolio moved here. */
  origin?: OriginView;
}

@Injectable()
export class AssessmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly portfolios: PortfolioAccessService,
    private readonly audit: AuditService,
  ) {}

  /** Writes or amends the caller's assessment of the phase; frozen once a jury decided the phase. */
  async write(auth: AuthContext, internId: string, body: AssessmentBody): Promise<{ assessment: AssessmentView; created: boolean }> {
    await this.portfolios.relation(auth, internId);
    const faults = Object.entries(body.levels).flatMap(([competence, level]) => [
      ...(COMPETENCE_CODES.includes(competence as never) ? [] : [{ path: `levels.${competence}`, message: 'compétence inconnue' }]),
      ...(LEVELS.includes(level as never) ? [] : [{ path: `levels.${competence}`, message: 'niveau inconnu (novice, intermediaire, competent, expert)' }]),
    ]);
    if (faults.length) throw new DomainError(ErrorCode.InvalidInput, 'Évaluation invalide.', faults);
    assertLevelsFit(body.phase, body.levels);

    const result = await this.dataSource.transaction(async (manager) => {
      const active = await manager.getRepository(Tutorship).exists({ where: { tutorId: auth.userId, internId, endedAt: IsNull() } });
      if (!active) throw new DomainError(ErrorCode.Forbidden, 'Seul le tuteur actif de l’interne évalue ses phases.');
      if (await this.decided(internId, body.phase, manager)) {
        throw new DomainError(ErrorCode.Conflict, 'Cette phase a été décidée par la commission : l’évaluation ne se modifie plus.');
      }
      const repository = manager.getRepository(Assessment);
      let assessment = await repository.findOne({ where: { internId, tutorId: auth.userId, phase: body.phase }, lock: { mode: 'pessimistic_write' } });
      const created = !assessment;
      if (!assessment) {
        assessment = repository.create({ internId, tutorId: auth.userId, phase: body.phase, version: 1 });
      } else {
        assessment.version += 1;
      }
      Object.assign(assessment, { levels: body.levels, comment: body.comment.trim(), recommendation: body.recommendation, updatedAt: new Date() });
      await repository.save(assessment);
      await manager.insert(AssessmentRevision, {
        assessmentId: assessment.id,
        version: assessment.version,
        levels: body.levels,
        comment: assessment.comment,
        recommendation: body.recommendation,
      });
      await this.audit.record(auth, { action: created ? 'assessment.created' : 'assessment.amended', subjectType: 'portfolio', subjectId: internId, details: { phase: body.phase, version: assessment.version } }, manager);
      return { id: assessment.id, created };
    });
    const [view] = await this.views([result.id]);
    return { assessment: view, created: result.created };
  }

  async list(auth: AuthContext, internId: string): Promise<AssessmentView[]> {
    await this.portfolios.read(auth, internId, 'assessments');
    const rows = await this.dataSource.getRepository(Assessment).find({ where: { internId }, order: { createdAt: 'ASC' }, select: { id: true } });
    return this.views(rows.map((r) => r.id));
  }

  async views(ids: string[]): Promise<AssessmentView[]> {
    if (!ids.length) return [];
    const assessments = await this.dataSource.getRepository(Assessment).find({ where: { id: In(ids) }, order: { createdAt: 'ASC' } });
    const revisions = await this.dataSource.getRepository(AssessmentRevision).find({ where: { assessmentId: In(ids) }, order: { version: 'ASC' } });
    const tutors = new Map((await this.dataSource.getRepository(User).findBy({ id: In(assessments.map((a) => a.tutorId)) })).map((u) => [u.id, displayName(u)]));
    // A tutor of the faculty an assessment came from is named as they were there.
    const elsewhere = await this.namesFromElsewhere(assessments);
    for (const [id, name] of elsewhere.people) if (!tutors.has(id)) tutors.set(id, name);
    const frozen = new Map<string, boolean>();
    for (const a of assessments) frozen.set(`${a.internId}:${a.phase}`, await this.decided(a.internId, a.phase));
    return assessments.map((a) => ({
      id: a.id,
      internId: a.internId,
      tutor: { id: a.tutorId, displayName: tutors.get(a.tutorId) ?? '' },
      phase: a.phase,
      levels: a.levels as Record<string, string>,
      comment: a.comment,
      recommendation: a.recommendation,
      version: a.version,
      frozen: frozen.get(`${a.internId}:${a.phase}`) ?? false,
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
      history: revisions
        .filter((r) => r.assessmentId === a.id)
        .map((r) => ({ version: r.version, levels: r.levels as Record<string, string>, comment: r.comment, recommendation: r.recommendation, createdAt: r.createdAt.toISOString() })),
      ...(a.originFacultyId ? { origin: { facultyId: a.originFacultyId, facultyName: elsewhere.faculties.get(a.originFacultyId) ?? '' } } : {}),
    }));
  }

  /** The names a portfolio transfer kept for the assessments that came with it: their faculties and tutors. */
  private async namesFromElsewhere(assessments: Assessment[]): Promise<{ faculties: Map<string, string>; people: Map<string, string> }> {
    const moved = assessments.filter((a) => a.originFacultyId);
    if (!moved.length) return { faculties: new Map(), people: new Map() };
    const [faculties, people] = (await Promise.all([
      this.dataSource.query(`SELECT id, name FROM faculty WHERE id = ANY($1::uuid[])`, [moved.map((a) => a.originFacultyId)]),
      this.dataSource.query(`SELECT user_id AS id, display_name AS name FROM portfolio_transfer_person WHERE user_id = ANY($1::uuid[])`, [moved.map((a) => a.tutorId)]),
    ])) as { id: string; name: string }[][];
    return { faculties: new Map(faculties.map((f) => [f.id, f.name])), people: new Map(people.map((p) => [p.id, p.name])) };
  }

  /** A phase is decided once a jury recorded `validated` or `not_validated` for it. */
  /** Reads on the caller's transaction: a second connection would wait for it forever on the embedded database, which serialises transactions. */
  private async decided(internId: string, phase: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return (
      (await manager
        .getRepository(JuryDecision)
        .createQueryBuilder('d')
        .innerJoin('jury_session', 's', 's.id = d.session_id')
        .where('d.intern_id = :internId AND s.phase = :phase AND d.decision IN (:...final)', { internId, phase, final: ['validated', 'not_validated'] })
        .getCount()) > 0
    );
  }
}
