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
