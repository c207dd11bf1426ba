import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A `postgres://` URL any `pg` client (TypeORM, BullMQ) can use. */
  url: string;
  stop(): Promise<void>;
}

/**
 * What every process on the embedded database sets, its connections sharing one session: no
 * per-connection search_path (BullMQ's tables in `public`), prepared statements, or
 * notifications from one connection to another (the API's session cache).
 */
export const EMBEDDED_ENV = {
  QUEUE_POSTGRES_SCHEMA: 'public',
  DATABASE_PREPARED_STATEMENTS: 'false',
  DATABASE_NOTIFICATIONS: 'false',
  SESSION_CACHE_SECONDS: '0',
} as const;

/** Raised when another process already holds the data directory. */
export class EmbeddedPostgresLockedError extends Error {
  override readonly name = 'EmbeddedPostgresLockedError';
}

/**
 * PostgreSQL in-process (PGlite) behind a socket server, so the API and the worker talk to it
 * with the same `pg` driver and migrations as to a real server.
 *
 * Limits worth knowing: every socket connection shares one backend session (no per-connection
 * SET or search_path, transactions are serialised, LISTEN/NOTIFY does not cross connections), so
 * `maxConnections` must cover the sum of every pool that connects. PGlite also does nothing to
 * stop a second process from opening the same directory and corrupting it: the lock file does.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  maxConnections?: number;
}): Promise<EmbeddedPostgres> {
  const directory = path.join(options.dataDir, 'pg');
  fs.mkdirSync(directory, { recursive: true });
  const releaseLock = takeLock(path.join(options.dataDir, 'pg.lock'));
  try {
    const db = await PGlite.create({ dataDir: directory, extensions: { unaccent, pg_trgm } });
    const server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port: options.port ?? 0,
      maxConnections: options.maxConnections ?? 100,
    });
    serveWholeBatches(server, db);
    await server.start();
    const address = server.getServerConn(); // "127.0.0.1:PORT"
    return {
      url: `postgres://postgres@${address}/postgres?sslmode=disable`,
      async stop() {
        await server.stop();
        await db.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** What `serveWholeBatches` reaches of pglite-socket's query queue (private in its types). */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Extended-query messages that leave a batch open until its Sync: Parse, Bind, Describe, Execute, Close, Flush. */
const BATCH_MESSAGES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((letter) => letter.charCodeAt(0)));

/**
 * pglite-socket (0.2) serves the protocol messages of every connection in turn, one at a time,
 * holding to one connection only inside a transaction (electric-sql/pglite#1046). A `pg` query
 * is a batch of messages (Parse, Bind, Describe, Execute, Sync) on the one shared session, and
 * between them the unnamed statement is the session's: two connections' batches interleaved
 * bind one query's values to the other's statement (an error, or another query's rows); and
 * one failed message left the queue stopped for good. This replaces the queue's loop: a
 * connection whose batch is open is served alone until its Sync, as a transaction's is until
 * it ends; a failed message fails its own query only.
 */
function serveWholeBatches(server: PGLiteSocketServer, db: PGlite): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let batchOf: number | null = null;
  queue.processQueue = async function (this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const holder = batchOf ?? (db.isInTransaction() ? this.lastHandlerId : null);
        const index = holder === null ? 0 : this.queue.findIndex((entry) => entry.handlerId === holder);
        if (index === -1) break; // the holder's next message starts the loop again
        const [entry] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await db.runExclusive(() => db.execProtocolRawStream(entry.message, { onRawData: (data) => ((bytes += data.length), entry.onData(data)) }));
        } catch (error) {
          batchOf = null;
          entry.reject(error);
          continue;
        }
        batchOf = BATCH_MESSAGES.has(entry.message[0]) ? entry.handlerId : null;
        this.lastHandlerId = entry.handlerId;
        entry.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
  // A connection gone mid-batch releases the session.
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (batchOf === handlerId) batchOf = null;
    void queue.processQueue();
  };
}

function takeLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(file, 'utf8').trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new EmbeddedPostgresLockedError(
          `The embedded database in ${path.dirname(file)} is already in use by process ${holder}; stop it first, or set DATABASE_URL to use a PostgreSQL server.`,
        );
      }
      fs.rmSync(file, { force: true }); // left behind by a process that died: take it over
    }
  }
  throw new EmbeddedPostgresLockedError(`Could not take the lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
