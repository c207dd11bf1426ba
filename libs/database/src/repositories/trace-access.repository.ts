import { Injectable } from '@nestjs/common';
import type { TraceRelation } from '@carnet/domain';
import { AccessReader, NO_TIES, ReaderTies, readerTiesSql, traceListSql, traceRelationSql } from '../access-sql';
import { Trace } from '../entities';
import { entityColumns } from '../prepared-statements';
import { SqlParams } from '../sql/sql-params';
import { Database, Tx } from './database';

/** What a reader may see beyond their own traces (their ties to interns, as id arrays). */
export type VisibleSets = ReaderTies;

/** A trace as TypeORM would hydrate it, and the reader's relation to it. */
export interface TraceWithRelation {
  trace: Trace;
  relation: TraceRelation;
}

/**
 * The access rule's reads of one trace and of a list's scope (`access-sql.ts`, the rule as SQL),
 * for a reader `{ userId, roles }`: their relation to a trace, the trace with it, their ties.
 */
@Injectable()
export class TraceAccessRepository {
  /** The trace's columns as the entity's properties: `load` returns what TypeORM would. */
  readonly traceColumns: string;

  constructor(private readonly db: Database) {
    this.traceColumns = entityColumns(db.dataSource, Trace, 't');
  }

  /** The SQL expression giving the reader's (placeholder `me`) relation to trace `t` (NULL: none). */
  relationSql(reader: AccessReader, me: string): string {
    return traceRelationSql(reader, me);
  }

  /** The trace `id` (SQL) and the relation to it of the reader `me` (a placeholder), as `load` reads them. */
  selectSql(reader: AccessReader, me: string, id: string): string {
    return `SELECT ${this.traceColumns}, ${this.relationSql(reader, me)} AS relation FROM trace t WHERE t.id = ${id}`;
  }

  /**
   * What the reader may see beyond their own traces, fetched once per request in one round trip
   * (none for a plain intern): their tutees, their former tutees, the interns of the open jury
   * sessions they sit on. Lists then filter on these ids, which indexes serve directly.
   */
  async visibleSets(reader: AccessReader, tx?: Tx): Promise<VisibleSets> {
    const sql = readerTiesSql(reader);
    if (!sql) return { ...NO_TIES };
    const [row] = await this.db.prepared<VisibleSets>(sql, [reader.userId], tx);
    return row;
  }

  /**
   * SQL on alias `t` for a list (`traceListSql`): the rows the reader may see (null for an
   * admin), those whose content they may read, and their relation to each; each binds its
   * parameters in `params` when used.
   */
  listScope(reader: AccessReader, sets: VisibleSets | null, params: SqlParams): { visible: string | null; readable: () => string; relation: () => string } {
    return traceListSql(reader, sets, (name, value) => params.named(name, value));
  }

  /** The reader's relation to a trace without loading it (its content may weigh megabytes); null: none, or no such trace. */
  async relationTo(reader: AccessReader, id: string, tx?: Tx): Promise<TraceRelation | null> {
    const [row] = await this.db.prepared<{ relation: TraceRelation | null }>(`SELECT ${this.relationSql(reader, '$1')} AS relation FROM trace t WHERE t.id = $2`, [reader.userId, id], tx);
    return row?.relation ?? null;
  }

  /**
   * The trace and the reader's relation to it; null when none. `lock` takes a row lock for a
   * change. One prepared statement (a text per role combination and lock), on the transaction's
   * connection when given one.
   */
  async load(reader: AccessReader, id: string, lock = false, tx?: Tx): Promise<TraceWithRelation | null> {
    const sql = `${this.selectSql(reader, '$1', '$2')}${lock ? ' FOR UPDATE OF t' : ''}`;
    const [row] = await this.db.prepared<Trace & { relation: TraceRelation | null }>(sql, [reader.userId, id], tx);
    if (!row?.relation) return null;
    const { relation, ...trace } = row;
    return { trace, relation };
  }

  /** Remembers that a tutor reviewed a trace: they keep reading it after their tutorship ends. */
  async markReviewer(traceId: string, tutorId: string, tx?: Tx): Promise<void> {
    await this.db.query(`INSERT INTO trace_reviewer (trace_id, tutor_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [traceId, tutorId], tx);
  }
}
