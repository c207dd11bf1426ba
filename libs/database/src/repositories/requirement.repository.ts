import { Injectable } from '@nestjs/common';
import type { Phase } from '@carnet/domain';
import { PhaseRequirement } from '../entities';
import { Database, Tx } from './database';

/** The department's requirements per phase: each change is a new version, the old ones stay. */
@Injectable()
export class RequirementRepository {
  constructor(private readonly db: Database) {}

  /** The newest version of each phase's requirements. */
  currentOfEachPhase(): Promise<PhaseRequirement[]> {
    return this.db
      .manager()
      .getRepository(PhaseRequirement)
      .createQueryBuilder('r')
      .distinctOn(['r.phase'])
      .orderBy('r.phase')
      .addOrderBy('r.version', 'DESC')
      .getMany();
  }

  /** Every version of the phase's requirements, oldest first. */
  history(phase: Phase): Promise<PhaseRequirement[]> {
    return this.db.manager().getRepository(PhaseRequirement).find({ where: { phase }, order: { version: 'ASC' } });
  }

  /**
   * Holds the phase's next version for the transaction (two changes at once make two versions
   * one after the other, never two of the same number): an advisory lock, the phase's rows
   * themselves being only ever inserted.
   */
  async lockPhase(phase: Phase, tx: Tx): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('phase_requirement:' || $1))`, [phase], tx);
  }

  /** The phase's newest version (every phase has one: the migration seeds version 1). */
  latest(phase: Phase, tx?: Tx): Promise<PhaseRequirement> {
    return this.db.manager(tx).getRepository(PhaseRequirement).findOneOrFail({ where: { phase }, order: { version: 'DESC' } });
  }

  /** Saves a new version. */
  async add(values: Pick<PhaseRequirement, 'phase' | 'version' | 'rules' | 'createdBy'>, tx?: Tx): Promise<PhaseRequirement> {
    const manager = this.db.manager(tx);
    const row = manager.create(PhaseRequirement, values);
    await manager.save(row);
    return row;
  }
}
