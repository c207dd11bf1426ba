import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';

/**
 * How long a trace must have gone unsaved before its search vector is recomputed. The web editor
 * saves two seconds after the last keystroke: waiting several autosave intervals computes a
 * trace's vector once per writing session, not once per save. A search meanwhile computes the
 * vector of a stale trace itself, so it finds what was last saved at once.
 */
export const SEARCH_QUIET_MS = 10_000;
/** How often the worker looks for traces to index. */
export const SEARCH_POLL_MS = 2_000;
/** Traces indexed per statement: a few milliseconds each for a 10-page RSCA. */
const BATCH = 20;
/** One worker indexes at a time (an advisory lock, per transaction): two would stem the same texts twice. */
const LOCK_KEY = 0x7ace5ea;

/**
 * Keeps the search vectors of edited traces up to date, off the autosave path: every few seconds,
 * the traces marked stale by a save and left unsaved since `SEARCH_QUIET_MS` get their vector
 * from their title and plain text. The vectors are computed first without locking any trace; each
 * is then written only if its trace is still at the version it was computed from, so a save made
 * meanwhile is never overwritten and leaves its trace stale for the next round.
 */
@Injectable()
export class SearchIndexProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('SearchIndexProcessor');
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.indexStale()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'search indexing failed; retried at the next round'))
        .finally(() => this.schedule());
    }, SEARCH_POLL_MS);
    this.timer.unref();
  }

  /** Indexes the stale traces unsaved for `quietMs`; returns how many it indexed. */
  async indexStale(quietMs = SEARCH_QUIET_MS): Promise<number> {
    let indexed = 0;
    for (;;) {
      const { found, written } = await this.dataSource.transaction(async (manager) => {
        const [{ locked }] = (await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [LOCK_KEY])) as { locked: boolean }[];
        if (!locked) return { found: 0, written: 0 };
        const rows = (await manager.query(
          `SELECT id, version, trace_search_vector(title, content_text)::text AS search FROM trace
            WHERE search_stale AND updated_at <= now() - make_interval(secs => $1::double precision / 1000)
            ORDER BY updated_at LIMIT ${BATCH}`,
          [quietMs],
        )) as { id: string; version: number; search: string }[];
        if (!rows.length) return { found: 0, written: 0 };
        const [{ count }] = (await manager.query(
          `WITH written AS (
             UPDATE trace t SET search = v.search::tsvector, search_stale = false
               FROM unnest($1::uuid[], $2::int[], $3::text[]) AS v(id, version, search)
              WHERE t.id = v.id AND t.version = v.version AND t.search_stale
             RETURNING 1)
           SELECT count(*)::int AS count FROM written`,
          [rows.map((row) => row.id), rows.map((row) => row.version), rows.map((row) => row.search)],
        )) as { count: number }[];
        return { found: rows.length, written: count };
      });
      indexed += written;
      // A full batch may hide more; a batch of traces all saved meanwhile waits for the next round.
      if (found < BATCH || written === 0 || this.stopped) return indexed;
    }
  }
}
