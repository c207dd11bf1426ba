import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = fs.existsSync('/usr/lib/postgresql') ? path.join('/usr/lib/postgresql', fs.readdirSync('/usr/lib/postgresql').sort().pop()!, 'bin') : '';

export interface PrivatePostgres {
  url: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

const asPostgres = (args: string[]) =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', ...args]] as const : [args[0], args.slice(1)] as const;

/**
 * A PostgreSQL server of a test's own (initdb in a temporary directory, trust auth), for drills
 * that stop and restart the database: the shared server must stay up for the other tests.
 */
export function startPrivatePostgres(port: number): PrivatePostgres {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-pg-'));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const run = (args: string[]) => {
    const [cmd, rest] = asPostgres(args);
    const result = spawnSync(cmd, rest as string[], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${args.join(' ')}: ${result.stderr}`);
  };
  run([path.join(BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const start = () => run([path.join(BIN, 'pg_ctl'), '-D', data, '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', path.join(dir, 'log'), 'start']);
  const stop = () => run([path.join(BIN, 'pg_ctl'), '-D', data, '-w', '-m', 'immediate', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy() {
      try {
        stop();
      } catch {
        // already stopped
      }
      execFileSync('rm', ['-rf', dir]);
    },
  };
}
