import argon2 from 'argon2';
import { ChildProcess, fork, spawn } from 'node:child_process';
import type { BareCase } from './bare-server';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { withServerNodeOptions } from '../../apps/launcher/src/node-options';

export const BENCH_PASSWORD = 'benchmark password';
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = path.resolve(__dirname, '../../..');
/** Extra node flags for the API and worker processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them. */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

export interface BenchResponse {
  status: number;
  ok: boolean;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json<T = unknown>(): T | null;
}

export interface BenchSystem {
  base: string;
  /**
   * One HTTP request to the API on keep-alive sockets, as a load tool sends it (autocannon,
   * wrk): Node's `fetch` costs 0.3–0.5 ms more per request on this machine, which is the
   * client's cost, not the server's.
   */
  request(method: string, path: string, options?: { token?: string; body?: string; headers?: Record<string, string> }): Promise<BenchResponse>;
  databaseUrl: string;
  /** The API process, for `measure`'s CPU count. */
  apiPid: number;
  pool: Pool;
  /** Starts one more worker process; returns it (for its pid and peak RSS). */
  startWorker(): ChildProcess;
  login(email: string): Promise<string>;
  passwordHash(): Promise<string>;
  stop(): Promise<void>;
}

/** Requests to `base` on keep-alive sockets (see `BenchSystem.request`). */
export function keepAliveClient(base: string): { request: BenchSystem['request']; agent: http.Agent } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const request: BenchSystem['request'] = (method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        headers['content-length'] = String(Buffer.byteLength(options.body));
      }
      const outgoing = http.request(`${base}${path}`, { method, agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          const status = response.statusCode ?? 0;
          resolve({ status, ok: status >= 200 && status < 300, headers: response.headers, body, json: () => { try { return JSON.parse(body.toString('utf8')); } catch { return null; } } });
        });
      });
      outgoing.on('error', reject);
      outgoing.end(options.body);
    });
  return { request, agent };
}

/**
 * The bare `node:http` server of bench/support/bare-server.ts, in its own process, answering
 * `/n` with the statements of `cases[n]`.
 */
export async function startBareServer(databaseUrl: string, cases: BareCase[]): Promise<{ request: (n: number) => Promise<boolean>; pid: number; stop: () => Promise<void> }> {
  const child = fork(path.join(ROOT, 'scripts/run.js'), [path.join(ROOT, 'dist/bench/support/bare-server.js')], {
    env: { ...process.env, BENCH_BARE_SERVER: '1', DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '10' },
    execArgv: NODE_ARGS,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced', // the statements' parameters include Buffers (token hashes) and Dates
  });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number }));
    child.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
    child.send(cases);
  });
  const { request, agent } = keepAliveClient(`http://127.0.0.1:${port}`);
  return {
    request: async (n) => (await request('GET', `/${n}`)).ok,
    pid: child.pid!,
    async stop() {
      agent.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

/**
 * A whole Carnet for a benchmark: a database of its own on the local PostgreSQL server, the API
 * in its own process (so the load generator does not share its CPU), workers on demand; all
 * removed by `stop`. Needs `npm run build` first (the bench scripts do it).
 */
export async function startBenchSystem(options: { databaseName?: string; keepDatabase?: boolean; poolSize?: number; env?: Record<string, string> } = {}): Promise<BenchSystem> {
  const name = options.databaseName ?? `carnet_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-'));
  const env = {
    ...process.env,
    DATABASE_URL: url.toString(),
    REDIS_URL,
    QUEUE_PREFIX: name,
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_POOL_SIZE: String(options.poolSize ?? 20),
    METRICS_PORT: '0',
    ...options.env,
  };
  const children: ChildProcess[] = [];
  const run = (entry: string, extra: Record<string, string> = {}) => {
    // As the launcher and the image run them (SERVER_NODE_OPTIONS), BENCH_NODE_ARGS after.
    const child = spawn(process.execPath, [...NODE_ARGS, path.join(ROOT, 'scripts/run.js'), path.join(ROOT, 'dist', entry)], { env: withServerNodeOptions({ ...env, ...extra }), stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    return child;
  };
  const port = 3800 + Math.floor(Math.random() * 190);
  const api = run('apps/api/src/main.js', { PORT: String(port), HOST: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; !(await fetch(`${base}/api/health`).then((r) => r.ok, () => false)); i++) {
    if (i > 300) {
      for (const child of children) child.kill('SIGKILL');
      throw new Error('the API did not start within a minute');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // The baseline's connections are set as the API's are (no JIT: libs/database/src/data-source.ts).
  const pool = new Pool({ connectionString: url.toString(), max: options.poolSize ?? 20, options: '-c jit=off' });
  pool.on('error', () => undefined); // a connection cut while the database is dropped at the end
  let hash: Promise<string> | undefined;
  const { request, agent } = keepAliveClient(base);
  return {
    base,
    request,
    databaseUrl: url.toString(),
    apiPid: api.pid!,
    pool,
    startWorker: () => run('apps/worker/src/main.js'),
    passwordHash: () => (hash ??= argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id })),
    async login(email) {
      const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: BENCH_PASSWORD }) });
      if (!response.ok) throw new Error(`login ${email}: ${response.status}`);
      return ((await response.json()) as { accessToken: string }).accessToken;
    },
    async stop() {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
      agent.destroy();
      await pool.end();
      if (!options.keepDatabase) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

/** CPU time (user + system) a process has used so far, in ms (Linux; 10 ms resolution). */
function cpuTimeMs(pid: number, which: 'all' | 'system' = 'all'): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((which === 'all' ? Number(fields[11]) + Number(fields[12]) : Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/**
 * Runs `task` from `concurrency` loops for `seconds`; latencies in ms, sorted. `cpuOf`: a server
 * process whose CPU time per request over the measured window is reported (`cpuMs`, of which
 * `systemCpuMs` in the kernel);
 * `databasePids`: the PostgreSQL backends serving the task, read once warm (`databaseCpuMs`).
 */
export async function measure(concurrency: number, seconds: number, task: (worker: number, n: number) => Promise<boolean>, cpuOf?: number, databasePids?: () => Promise<number[]>) {
  // Two seconds unmeasured first: the JIT (a server's first thousand requests run slower), the
  // connections and the caches warm up, as they are on a server that has been running.
  const warm = Date.now() + 2000;
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    for (let n = 0; Date.now() < warm; n++) await task(worker, n).catch(() => false);
  }));
  const latencies: number[] = [];
  let failures = 0;
  const cpuBefore = cpuOf === undefined ? NaN : cpuTimeMs(cpuOf);
  const systemBefore = cpuOf === undefined ? NaN : cpuTimeMs(cpuOf, 'system');
  const backends = databasePids ? await databasePids() : [];
  const databaseBefore = backends.map((pid) => cpuTimeMs(pid));
  // A backend that ends within the window (a pool's idle connection closed) is left out.
  const databaseCpu = () => backends.reduce((sum, pid, i) => sum + (cpuTimeMs(pid) - databaseBefore[i] || 0), 0);
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let n = 0; Date.now() < deadline; n++) {
        const started = process.hrtime.bigint();
        const ok = await task(worker, n).catch(() => false);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (!ok) failures++;
      }
    }),
  );
  const cpuMs = cpuOf === undefined ? undefined : (cpuTimeMs(cpuOf) - cpuBefore) / latencies.length;
  // Of which in the kernel (the sockets' writes and reads, the polling).
  const systemCpuMs = cpuOf === undefined ? undefined : (cpuTimeMs(cpuOf, 'system') - systemBefore) / latencies.length;
  const databaseCpuMs = databasePids ? databaseCpu() / latencies.length : undefined;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), rps: latencies.length / seconds, count: latencies.length, failures, cpuMs, systemCpuMs, databaseCpuMs };
}

export type Measured = Awaited<ReturnType<typeof measure>>;

export function printTable(rows: { name: string; api: Measured; raw?: Measured; prepared?: Measured; bare?: Measured; remembered?: Measured }[]): void {
  const cell = (n: number) => n.toFixed(1).padStart(8);
  const [prepared, bare, remembered] = [rows.some((row) => row.prepared), rows.some((row) => row.bare), rows.some((row) => row.remembered)];
  const cpu = rows.some((row) => row.api.cpuMs !== undefined);
  const line = (name: string, m: Measured, ratios = '') =>
    console.log(`${name.padEnd(44)} ${cell(m.p50)} ${cell(m.p95)} ${cell(m.p99)} ${cell(m.rps)} ${String(m.failures).padStart(8)} ${cpu ? (m.cpuMs === undefined ? '' : m.cpuMs.toFixed(2)).padStart(9) : ''}   ${ratios}`);
  const heads = ['API/raw', prepared && 'API/raw prepared', bare && 'API/bare HTTP', remembered && 'API/raw without lookup'].filter(Boolean).join(', ');
  console.log(`${'benchmark'.padEnd(44)}     p50      p95      p99    req/s   errors${cpu ? ' cpu ms/req' : ''}   ratio p50 (${heads})`);
  for (const row of rows) {
    const ratio = (base?: Measured) => (base ? `${(row.api.p50 / base.p50).toFixed(1)}x` : '');
    line(row.name, row.api, [ratio(row.raw), ratio(row.prepared), ratio(row.bare), ratio(row.remembered)].filter(Boolean).join(', '));
    if (row.raw) line('  raw pg baseline', row.raw);
    if (row.prepared) line('  raw pg, statements prepared', row.prepared);
    if (row.bare) line('  bare node:http + the same, prepared', row.bare);
    if (row.remembered) line('  raw pg, prepared, session remembered', row.remembered);
  }
}
