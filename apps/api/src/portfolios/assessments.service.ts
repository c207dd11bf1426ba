import { Injectable } from '@nestjs/common';
import { AssessmentRepository, PortfolioTransferRepository, Transactions, TutorshipRepository, UserRepository } from '@carnet/database';
import { assertLevelsFit, COMPETENCE_CODES, DomainError, ErrorCode, LEVELS } from '@carnet/domain';
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
    private readonly transactions: Transactions,
    private readonly assessments: AssessmentRepository,
    private readonly tutorships: TutorshipRepository,
    private readonly people: UserRepository,
    private readonly transfers: PortfolioTransferRepository,
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

    const result = await this.transactions.run(async (tx) => {
      const active = await this.tutorships.isActiveTutor(auth.userId, internId, tx);
      if (!active) throw new DomainError(ErrorCode.Forbidden, 'Seul le tuteur actif de l’interne évalue ses phases.');
      // On the transaction: asked on another connection, the embedded database would wait for it forever.
      if (await this.assessments.phaseDecided(internId, body.phase, tx)) {
        throw new DomainError(ErrorCode.Conflict, 'Cette phase a été décidée par la commission : l’évaluation ne se modifie plus.');
      }
      const existing = await this.assessments.lockOwn(internId, auth.userId, body.phase, tx);
      const created = !existing;
      const assessment = await this.assessments.saveVersion(
        existing,
        { internId, tutorId: auth.userId, phase: body.phase },
        { levels: body.levels, comment: body.comment.trim(), recommendation: body.recommendation },
        tx,
      );
      await this.audit.record(auth, { action: created ? 'assessment.created' : 'assessment.amended', subjectType: 'portfolio', subjectId: internId, details: { phase: body.phase, version: assessment.version } }, tx);
      return { id: assessment.id, created };
    });
    const [view] = await this.views([result.id]);
    return { assessment: view, created: result.created };
  }

  async list(auth: AuthContext, internId: string): Promise<AssessmentView[]> {
    await this.portfolios.read(auth, internId, 'assessments');
    return this.views(await this.assessments.idsOf(internId));
  }

  /** The intern's assessments, oldest first, as a jury member reads them too. */
  async viewsOf(internId: string): Promise<AssessmentView[]> {
    return this.views(await this.assessments.idsOf(internId));
  }

  async views(ids: string[]): Promise<AssessmentView[]> {
    if (!ids.length) return [];
    const assessments = await this.assessments.byIds(ids);
    const revisions = await this.assessments.revisionsOf(ids);
    // A tutor of the faculty an assessment came from is named as they were there (namesOf).
    const tutors = await this.people.namesOf(assessments.map((a) => a.tutorId));
    const moved = assessments.filter((a) => a.originFacultyId);
    const elsewhere = moved.length ? await this.transfers.namesKeptAtMove(moved.map((a) => a.originFacultyId!), []) : { faculties: {} as Record<string, string> };
    const frozen = new Map<string, boolean>();
    for (const a of assessments) frozen.set(`${a.internId}:${a.phase}`, await this.assessments.phaseDecided(a.internId, a.phase));
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
      ...(a.originFacultyId ? { origin: { facultyId: a.originFacultyId, facultyName: elsewhere.faculties[a.originFacultyId] ?? '' } } : {}),
    }));
  }
}
