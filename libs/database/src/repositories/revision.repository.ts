import { Injectable } from '@nestjs/common';
import { TraceRevision } from '../entities';
import { Database, Tx } from './database';

/** A revision as a list shows it: no content. */
export type RevisionSummaryRow = Pick<TraceRevision, 'number' | 'title' | 'sha256' | 'createdAt'>;

/** A new revision's row: the trace's content as submitted, numbered, hashed. */
export type NewRevision = Pick<TraceRevision, 'traceId' | 'number' | 'kind' | 'title' | 'content' | 'competences' | 'familles' | 'sha256' | 'createdBy'>;

/** A trace's revisions: one per submission, never changed once written. */
@Injectable()
export class RevisionRepository {
  constructor(private readonly db: Database) {}

  /** How many revisions the trace has (the next one is numbered one more). */
  countOf(traceId: string, tx?: Tx): Promise<number> {
    return this.db.manager(tx).getRepository(TraceRevision).count({ where: { traceId } });
  }

  async insert(fields: NewRevision, tx?: Tx): Promise<TraceRevision> {
    const manager = this.db.manager(tx);
    const revision = manager.create(TraceRevision, fields);
    await manager.insert(TraceRevision, revision);
    return revision;
  }

  /** The number of the trace's latest revision, or null before its first submission. */
  async latestNumberOf(traceId: string, tx?: Tx): Promise<number | null> {
    const latest = await this.db.manager(tx).getRepository(TraceRevision).findOne({ where: { traceId }, order: { number: 'DESC' }, select: { number: true } });
    return latest?.number ?? null;
  }

  /** The trace's latest revision, whole; TypeORM's EntityNotFoundError when it has none. */
  latestOrFail(traceId: string, tx?: Tx): Promise<TraceRevision> {
    return this.db.manager(tx).getRepository(TraceRevision).findOneOrFail({ where: { traceId }, order: { number: 'DESC' } });
  }

  /** The trace's revisions, oldest first, without their content. */
  summariesOf(traceId: string, tx?: Tx): Promise<RevisionSummaryRow[]> {
    return this.db.manager(tx).getRepository(TraceRevision).find({
      where: { traceId },
      order: { number: 'ASC' },
      select: { number: true, title: true, sha256: true, createdAt: true },
    });
  }

  /** The trace's revision `number`, whole, or null. */
  byNumber(traceId: string, number: number, tx?: Tx): Promise<TraceRevision | null> {
    return this.db.manager(tx).getRepository(TraceRevision).findOneBy({ traceId, number });
  }
}
