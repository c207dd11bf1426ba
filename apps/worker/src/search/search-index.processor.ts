import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { SearchIndexRepository, Transactions } from '@carnet/database';

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
    private readonly vectors: SearchIndexRepository,
    private readonly transactions: Transactions,
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
      const { found, written } = await this.transactions.run(async (tx) => {
        // One worker indexes at a time (an advisory lock, per transaction): two would stem the same texts twice.
        if (!(await this.vectors.tryLock(tx))) return { found: 0, written: 0 };
        const rows = await this.vectors.staleVectors(quietMs, BATCH, tx);
        if (!rows.length) return { found: 0, written: 0 };
        return { found: rows.length, written: await this.vectors.write(rows, tx) };
      });
      indexed += written;
      // A full batch may hide more; a batch of traces all saved meanwhile waits for the next round.
      if (found < BATCH || written === 0 || this.stopped) return indexed;
    }
  }
}
