import { Injectable } from '@nestjs/common';
import { Database, Tx } from './database';

/** One worker indexes at a time (an advisory lock, per transaction): two would stem the same texts twice. */
const LOCK_KEY = 0x7ace5ea;

/** A stale trace's search vector, computed from the version it was read at. */
export interface ComputedVector {
  id: string;
  version: number;
  search: string;
}

/** The traces' search vectors, as the indexing worker computes and writes them off the autosave path. */
@Injectable()
export class SearchIndexRepository {
  constructor(private readonly db: Database) {}

  /** Takes the indexing lock for the transaction: false when another worker holds it. */
  async tryLock(tx: Tx): Promise<boolean> {
    const [{ locked }] = await this.db.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [LOCK_KEY], tx);
    return locked;
  }

  /** Up to `limit` stale traces left unsaved for `quietMs`, oldest save first, with their vector computed (nothing locked). */
  staleVectors(quietMs: number, limit: number, tx?: Tx): Promise<ComputedVector[]> {
    return this.db.query(
      `SELECT id, version, trace_search_vector(title, content_text)::text AS search FROM trace
            WHERE search_stale AND coalesce(saved_at, updated_at) <= now() - make_interval(secs => $1::double precision / 1000)
            ORDER BY updated_at LIMIT ${Math.trunc(limit)}`,
      [quietMs],
      tx,
    );
  }

  /** Writes each vector if its trace is still at the version it was computed from: how many were written. */
  async write(vectors: ComputedVector[], tx?: Tx): Promise<number> {
    const [{ count }] = await this.db.query<{ count: number }>(
      `WITH written AS (
             UPDATE trace t SET search = v.search::tsvector, search_stale = false
               FROM unnest($1::uuid[], $2::int[], $3::text[]) AS v(id, version, search)
              WHERE t.id = v.id AND t.version = v.version AND t.search_stale
             RETURNING 1)
           SELECT count(*)::int AS count FROM written`,
      [vectors.map((row) => row.id), vectors.map((row) => row.version), vectors.map((row) => row.search)],
      tx,
    );
    return count;
  }
}
