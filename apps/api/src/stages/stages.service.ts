import { Injectable } from '@nestjs/common';
import { offsetOf, Page, pageOf, Stage, StageDifficulty, StageRepository, Transactions, Tx, UppRepository, UserRepository } from '@carnet/database';
import {
  assertSupervisionFits,
  daysInclusive,
  displayName,
  DomainError,
  ErrorCode,
  maquetteGaps,
  notFound,
  SEMESTER_FEE_CENTS,
  shareFees,
  STAGE_LABELS,
  SUPERVISION_PHASES,
} from '@carnet/domain';
import { AuditService } from '../audit/audit.service';
import { AuthContext, hasRole } from '../auth/auth-context';
import { PortfolioAccessService } from '../portfolios/portfolio-access.service';
import { CreateStageBody, ListStagesQuery, SupervisorBody } from './stages.dto';

export interface FeeLine {
  tutorId: string;
  displayName: string;
  halfDaysPerWeek: number;
  share: number;
  amountCents: number;
}

/** A row the schema guarantees (a foreign key's target). */
const known = <T>(row: T | null): T => {
  if (row === null) throw new Error('A row the schema guarantees is missing.');
  return row;
};

const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);

/**
 * Internships: the maquette of each intern, the binôme / trinôme of a stage chez le praticien
 * with its dated changes, the supervision phases, the fee split, and the difficulties reported.
 * An MSU sees only the stages they supervise; an intern their own; the DUMG all.
 */
@Injectable()
export class StagesService {
  constructor(
    private readonly stages: StageRepository,
    private readonly people: UserRepository,
    private readonly upps: UppRepository,
    private readonly transactions: Transactions,
    private readonly portfolios: PortfolioAccessService,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthContext, body: CreateStageBody) {
    if (body.endsOn <= body.startsOn) throw new DomainError(ErrorCode.InvalidInput, 'Le stage doit finir après son début.', [{ path: 'endsOn', message: 'doit suivre startsOn' }]);
    assertSupervisionFits(body.kind, body.supervisors);
    return this.transactions.run(async (tx) => {
      const intern = await this.people.byId(body.internId, tx);
      if (!intern?.roles.includes('intern')) throw new DomainError(ErrorCode.RoleMismatch, 'L’interne est introuvable.', [{ path: 'internId', message: 'n’est pas un interne' }]);
      await this.assertTutors(body.supervisors, tx);
      const stage = await this.stages.insert(
        {
          internId: body.internId,
          kind: body.kind,
          semester: body.semester,
          place: body.place?.trim() ?? '',
          startsOn: body.startsOn,
          endsOn: body.endsOn,
          psyMonths: body.psyMonths ?? 0,
          createdBy: auth.userId,
        },
        tx,
      );
      await this.stages.openPeriods(stage.id, body.supervisors, body.startsOn, tx);
      await this.audit.record(auth, { action: 'stage.created', subjectType: 'stage', subjectId: stage.id, details: { kind: stage.kind, internId: stage.internId } }, tx);
      return this.describe(stage, tx);
    });
  }

  /** A dated change of supervisors: the current periods end the day before `from`. */
  async changeSupervisors(auth: AuthContext, id: string, from: string, supervisors: SupervisorBody[]) {
    return this.transactions.run(async (tx) => {
      const stage = await this.stages.lockForUpdate(id, tx);
      if (!stage) throw notFound('Stage');
      if (from <= stage.startsOn || from > stage.endsOn) {
        throw new DomainError(ErrorCode.InvalidInput, 'La date du changement doit tomber pendant le stage, après son premier jour.', [{ path: 'from', message: 'hors du stage' }]);
      }
      assertSupervisionFits(stage.kind, supervisors);
      await this.assertTutors(supervisors, tx);
      await this.stages.closePeriods(id, dayBefore(from), tx);
      await this.stages.openPeriods(id, supervisors, from, tx);
      await this.audit.record(auth, { action: 'stage.supervisors_changed', subjectType: 'stage', subjectId: id, details: { from, supervisors: supervisors.length } }, tx);
      return this.describe(stage, tx);
    });
  }

  async list(auth: AuthContext, query: ListStagesQuery): Promise<Page<unknown>> {
    const filter = { readerId: hasRole(auth, 'admin') ? null : auth.userId, internId: query.internId, semester: query.semester, kind: query.kind };
    const { stages, total } = await this.stages.list(filter, offsetOf(query), query.pageSize);
    return pageOf(await Promise.all(stages.map((s) => this.describe(s))), total, query);
  }

  async get(auth: AuthContext, id: string) {
    const { stage } = await this.visible(auth, id);
    return this.describe(stage);
  }

  async fees(auth: AuthContext, id: string): Promise<{ stageId: string; totalCents: number; lines: FeeLine[] }> {
    const { stage, relation } = await this.visible(auth, id);
    if (relation === 'intern') throw notFound('Stage');
    if (stage.kind !== 'praticien_n1' && stage.kind !== 'saspas') {
      throw new DomainError(ErrorCode.Conflict, `Pas d’honoraires pédagogiques pour un stage ${STAGE_LABELS[stage.kind]}.`);
    }
    const periods = await this.stages.periodsOf(id);
    const shares = shareFees(
      periods.map((p) => ({ tutorId: p.tutorId, halfDaysPerWeek: p.halfDaysPerWeek, days: daysInclusive(p.fromDate, p.toDate ?? stage.endsOn) })),
    );
    const users = await this.people.namesOf(shares.map((s) => s.tutorId));
    const latest = (tutorId: string) => [...periods].reverse().find((p) => p.tutorId === tutorId)!.halfDaysPerWeek;
    return {
      stageId: id,
      totalCents: SEMESTER_FEE_CENTS,
      lines: shares.map((s) => ({
        tutorId: s.tutorId,
        displayName: users.get(s.tutorId) ?? '',
        halfDaysPerWeek: latest(s.tutorId),
        share: Math.round(s.share * 10_000) / 10_000,
        amountCents: s.amountCents,
      })),
    };
  }

  async recordPhase(auth: AuthContext, id: string, phase: number, note: string) {
    const { stage } = await this.visible(auth, id);
    const current = await this.stages.supervisesNow(id, auth.userId);
    if (!current) throw new DomainError(ErrorCode.Forbidden, 'Seuls les MSU qui encadrent ce stage enregistrent la phase de supervision.');
    const row = await this.stages.insertPhase({ stageId: stage.id, phase, note: note.trim(), recordedBy: auth.userId });
    await this.audit.record(auth, { action: 'stage.phase', subjectType: 'stage', subjectId: id, details: { phase } });
    return { id: row.id, phase: row.phase, label: SUPERVISION_PHASES[row.phase as keyof typeof SUPERVISION_PHASES], note: row.note, recordedBy: row.recordedBy, recordedAt: row.recordedAt.toISOString() };
  }

  async reportDifficulty(auth: AuthContext, id: string, body: string) {
    const { relation } = await this.visible(auth, id);
    if (relation === 'admin') throw new DomainError(ErrorCode.Forbidden, 'Une difficulté se signale par l’interne ou un MSU du stage.');
    const row = await this.stages.insertDifficulty({ stageId: id, reporterId: auth.userId, body: body.trim() });
    await this.audit.record(auth, { action: 'stage.difficulty_reported', subjectType: 'stage', subjectId: id, details: { difficultyId: row.id } });
    return { id: row.id, createdAt: row.createdAt.toISOString() };
  }

  /**
   * Confidential: the coordinators read them (admins of the intern's UPP, and the department's
   * admins attached to no UPP); a reporter reads their own. Every read is audited.
   */
  async difficulties(auth: AuthContext, id: string) {
    const { stage, relation } = await this.visible(auth, id);
    let rows: StageDifficulty[];
    if (relation === 'admin') {
      const [me, intern] = await Promise.all([this.people.byId(auth.userId).then(known), this.people.byId(stage.internId).then(known)]);
      if (me.uppId && me.uppId !== intern.uppId) throw notFound('Stage');
      rows = await this.stages.difficultiesOf(id);
    } else {
      rows = await this.stages.difficultiesOf(id, auth.userId);
    }
    await this.audit.record(auth, { action: 'stage.difficulties_read', subjectType: 'stage', subjectId: id, details: { count: rows.length } });
    const reporters = await this.people.namesOf([...rows.map((r) => r.reporterId), auth.userId]);
    return rows.map((r) => ({ id: r.id, reporter: { id: r.reporterId, displayName: reporters.get(r.reporterId) ?? '' }, body: r.body, createdAt: r.createdAt.toISOString() }));
  }

  async maquette(auth: AuthContext, internId: string) {
    await this.portfolios.read(auth, internId, 'stages');
    const stages = await this.stages.ofIntern(internId);
    return {
      internId,
      stages: await Promise.all(stages.map((s) => this.describe(s))),
      psyMonths: stages.reduce((sum, s) => sum + s.psyMonths, 0),
      missing: maquetteGaps(stages),
    };
  }

  private async visible(auth: AuthContext, id: string): Promise<{ stage: Stage; relation: 'intern' | 'supervisor' | 'admin' }> {
    const stage = await this.stages.inFaculty(id);
    if (!stage) throw notFound('Stage');
    if (stage.internId === auth.userId) return { stage, relation: 'intern' };
    if (await this.stages.supervises(id, auth.userId)) return { stage, relation: 'supervisor' };
    if (hasRole(auth, 'admin')) return { stage, relation: 'admin' };
    throw notFound('Stage');
  }

  private async assertTutors(supervisors: SupervisorBody[], tx: Tx): Promise<void> {
    if (!supervisors.length) return;
    const found = await this.people.byIds(supervisors.map((s) => s.tutorId), tx);
    const faults = supervisors
      .filter((s) => !found.find((u) => u.id === s.tutorId && u.roles.includes('tutor') && u.active))
      .map((s) => ({ path: 'supervisors', message: `${s.tutorId} n’est pas un MSU actif` }));
    if (faults.length) throw new DomainError(ErrorCode.RoleMismatch, 'Encadrants invalides.', faults);
  }

  /** The stage as the API shows it; on `tx` when inside one. */
  private async describe(stage: Stage, tx?: Tx) {
    const [periods, phases] = await Promise.all([this.stages.periodsOf(stage.id, tx), this.stages.phasesOf(stage.id, tx)]);
    const users = new Map((await this.people.byIds([...periods.map((p) => p.tutorId), stage.internId], tx)).map((u) => [u.id, u]));
    // A stage moved from another faculty names its supervisors there: their names as kept at the move.
    const kept = await this.people.namesOf(periods.filter((p) => !users.has(p.tutorId)).map((p) => p.tutorId), tx);
    const name = (id: string) => (users.get(id) ? displayName(users.get(id)!) : (kept.get(id) ?? ''));
    const intern = users.get(stage.internId);
    const upp = intern?.uppId ? await this.upps.findById(intern.uppId, tx) : null;
    return {
      id: stage.id,
      internId: stage.internId,
      intern: { id: stage.internId, displayName: name(stage.internId), upp: upp?.code ?? null },
      kind: stage.kind,
      label: STAGE_LABELS[stage.kind],
      semester: stage.semester,
      place: stage.place,
      startsOn: stage.startsOn,
      endsOn: stage.endsOn,
      psyMonths: stage.psyMonths,
      supervisors: periods
        .filter((p) => p.toDate === null)
        .map((p) => ({ tutorId: p.tutorId, displayName: name(p.tutorId), referent: p.referent, halfDaysPerWeek: p.halfDaysPerWeek, since: p.fromDate })),
      supervisionHistory: periods.map((p) => ({ tutorId: p.tutorId, displayName: name(p.tutorId), referent: p.referent, halfDaysPerWeek: p.halfDaysPerWeek, from: p.fromDate, to: p.toDate ?? stage.endsOn })),
      phases: phases.map((p) => ({ phase: p.phase, label: SUPERVISION_PHASES[p.phase as keyof typeof SUPERVISION_PHASES], note: p.note, recordedBy: p.recordedBy, recordedAt: p.recordedAt.toISOString() })),
    };
  }
}
