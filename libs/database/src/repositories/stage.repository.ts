import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { type StageKind } from '@carnet/domain';
import { Stage, StageDifficulty, StagePhase, StageSupervisor } from '../entities';
import { inRequestFaculty, requestFacultySql } from '../tenancy';
import { Database, Tx } from './database';

/** A supervisor's period on a stage as it opens: from a day, until changed. */
export interface SupervisionPeriod {
  tutorId: string;
  referent: boolean;
  halfDaysPerWeek: number;
}

/** What a page of stages is filtered by; `readerId` (null: the DUMG, who reads all) keeps the reader's own and supervised ones. */
export interface StageListFilter {
  readerId: string | null;
  internId?: string;
  semester?: number;
  kind?: StageKind;
}

/**
 * Internships: the stages of the request's faculty, their supervision periods, the supervision
 * phases recorded and the difficulties reported. The rules are the service's and the domain's.
 */
@Injectable()
export class StageRepository {
  constructor(private readonly db: Database) {}

  /** The stage, of the request's faculty. */
  inFaculty(id: string): Promise<Stage | null> {
    return this.db.manager().getRepository(Stage).findOneBy({ id, facultyId: inRequestFaculty() });
  }

  /** The stage, locked for the rest of `tx`. */
  lockForUpdate(id: string, tx: Tx): Promise<Stage | null> {
    return this.db.manager(tx).getRepository(Stage).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The intern's stages, first first. */
  ofIntern(internId: string): Promise<Stage[]> {
    return this.db.manager().getRepository(Stage).find({ where: { internId }, order: { startsOn: 'ASC' } });
  }

  /** A page of the faculty's stages, latest first, and how many match. */
  async list(filter: StageListFilter, offset: number, limit: number): Promise<{ stages: Stage[]; total: number }> {
    const builder = this.db.manager().getRepository(Stage).createQueryBuilder('s').where(requestFacultySql('s')).orderBy('s.starts_on', 'DESC').addOrderBy('s.id');
    if (filter.readerId !== null) {
      builder.andWhere(`(s.intern_id = :me OR EXISTS (SELECT 1 FROM stage_supervisor ss WHERE ss.stage_id = s.id AND ss.tutor_id = :me))`, { me: filter.readerId });
    }
    if (filter.internId) builder.andWhere('s.intern_id = :internId', { internId: filter.internId });
    if (filter.semester) builder.andWhere('s.semester = :semester', { semester: filter.semester });
    if (filter.kind) builder.andWhere('s.kind = :kind', { kind: filter.kind });
    const [stages, total] = await builder.skip(offset).take(limit).getManyAndCount();
    return { stages, total };
  }

  /** Saves a new stage (its id and defaults filled in on the entity). */
  async insert(values: Pick<Stage, 'internId' | 'kind' | 'semester' | 'place' | 'startsOn' | 'endsOn' | 'psyMonths' | 'createdBy'>, tx?: Tx): Promise<Stage> {
    const manager = this.db.manager(tx);
    const stage = manager.create(Stage, values);
    await manager.save(stage);
    return stage;
  }

  /** Whether `tutorId` supervised the stage at any time of it. */
  async supervises(stageId: string, tutorId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM stage_supervisor WHERE stage_id = $1 AND tutor_id = $2 LIMIT 1`, [stageId, tutorId]);
    return rows.length > 0;
  }

  /** Whether `tutorId` supervises the stage now (an open period). */
  supervisesNow(stageId: string, tutorId: string): Promise<boolean> {
    return this.db.manager().getRepository(StageSupervisor).exists({ where: { stageId, tutorId, toDate: IsNull() } });
  }

  /** The stage's supervision periods, oldest first. */
  periodsOf(stageId: string, tx?: Tx): Promise<StageSupervisor[]> {
    return this.db.manager(tx).getRepository(StageSupervisor).find({ where: { stageId }, order: { fromDate: 'ASC' } });
  }

  /** Opens a period for each supervisor from `from`. */
  async openPeriods(stageId: string, supervisors: SupervisionPeriod[], from: string, tx?: Tx): Promise<void> {
    if (!supervisors.length) return;
    await this.db.manager(tx).insert(
      StageSupervisor,
      supervisors.map((s) => ({ stageId, tutorId: s.tutorId, referent: s.referent, halfDaysPerWeek: s.halfDaysPerWeek, fromDate: from, toDate: null })),
    );
  }

  /** Ends the stage's open periods on `lastDay`. */
  async closePeriods(stageId: string, lastDay: string, tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(StageSupervisor).update({ stageId, toDate: IsNull() }, { toDate: lastDay });
  }

  /** The supervision phases recorded, oldest first. */
  phasesOf(stageId: string, tx?: Tx): Promise<StagePhase[]> {
    return this.db.manager(tx).getRepository(StagePhase).find({ where: { stageId }, order: { recordedAt: 'ASC' } });
  }

  /** Records a phase (its id and time filled in on the row returned). */
  async insertPhase(values: Pick<StagePhase, 'stageId' | 'phase' | 'note' | 'recordedBy'>, tx?: Tx): Promise<StagePhase> {
    const phases = this.db.manager(tx).getRepository(StagePhase);
    const row = phases.create(values);
    await phases.save(row);
    return row;
  }

  /** Records a difficulty (its id and time filled in on the row returned). */
  async insertDifficulty(values: Pick<StageDifficulty, 'stageId' | 'reporterId' | 'body'>, tx?: Tx): Promise<StageDifficulty> {
    const difficulties = this.db.manager(tx).getRepository(StageDifficulty);
    const row = difficulties.create(values);
    await difficulties.save(row);
    return row;
  }

  /** The stage's difficulties, oldest first: all, or one reporter's. */
  difficultiesOf(stageId: string, reporterId?: string): Promise<StageDifficulty[]> {
    return this.db.manager().getRepository(StageDifficulty).find({ where: reporterId === undefined ? { stageId } : { stageId, reporterId }, order: { createdAt: 'ASC' } });
  }

}
