import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit } from '@carnet/config';
import { EMBEDDED_ENV, openDatabase, startEmbeddedPostgres } from '@carnet/database';
import { withServerNodeOptions } from './node-options';

/**
 * `npm start`: the whole product on one machine. Without DATABASE_URL it starts the embedded
 * PostgreSQL here (one process owns the data directory), migrates it, then runs the API and the
 * worker as two child processes on it, exactly as they run in production.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const env: NodeJS.ProcessEnv = { ...process.env };
  let stopDatabase: (() => Promise<void>) | undefined;
  // Secrets stored in the database (university sign-in) need a key that outlives restarts: without
  // one set, a key is made once and kept beside the data it protects, readable by its owner only.
  env.CARNET_SECRET_KEY ||= secretKeyIn(config.dataDir);

  if (!config.databaseUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
    stopDatabase = () => embedded.stop();
    env.DATABASE_URL = embedded.url;
    Object.assign(env, EMBEDDED_ENV);
    env.DATABASE_POOL_SIZE ??= '5';
    // Its URL, for psql or a script of the operator's, reachable from this machine only.
    process.stdout.write(`Embedded PostgreSQL (PGlite) in ${path.join(config.dataDir, 'pg')}, at ${embedded.url}\n`);
  }
  // Migrate once before both children start, so neither waits on the other's lock.
  const dataSource = await openDatabase(env.DATABASE_URL!, 2);
  await dataSource.destroy();

  const runner = path.resolve(__dirname, '../../../../scripts/run.js');
  const dist = path.resolve(__dirname, '../../..');
  const children: ChildProcess[] = [];
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    await stopDatabase?.();
    process.exit(code);
  };

  for (const app of ['api', 'worker']) {
    const child = spawn(process.execPath, [runner, path.join(dist, `apps/${app}/src/main.js`)], { env: withServerNodeOptions(env), stdio: 'inherit' });
    child.once('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(`Carnet ${app} stopped (${signal ?? `exit code ${code}`}); stopping everything.\n`);
        void stop(code || 1);
      }
    });
    children.push(child);
  }
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
}

function secretKeyIn(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

main().catch((error: unknown) => {
  process.stderr.write(`Carnet failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
