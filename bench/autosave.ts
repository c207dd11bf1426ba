/**
 * bench/autosave: PATCH of a 50 KB trace with If-Match, 20 concurrent editors for 20 s, against
 * the real API over HTTP (session, schema validation, row lock, update), beside the same
 * UPDATE sent with raw `pg` at the same concurrency: the baseline. Prints p50/p99 and
 * throughput for both, and their ratio.
 *
 *   npm run bench:autosave            (BENCH_DATABASE_URL, default the local PostgreSQL server)
 *   BENCH_SECONDS=5 npm run bench:autosave
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { spawn } from 'node:child_process';
import { validateDocument, plainText } from '@carnet/editor';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = 20;
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** About 50 KB of French rich text: headings, paragraphs, a table. */
function document50k(seed: number): Record<string, unknown> {
  const sentence = `Patient de ${40 + (seed % 40)} ans, suivi pour un diabète de type 2 et une hypertension artérielle ; nous reprenons ensemble l’observance et les objectifs. `;
  const content: unknown[] = [];
  for (let section = 0; content.length < 400 && JSON.stringify(content).length < 50_000; section++) {
    content.push({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `Partie ${section + 1}` }] });
    for (let p = 0; p < 4; p++) content.push({ type: 'paragraph', content: [{ type: 'text', text: sentence.repeat(3) }] });
  }
  return { type: 'doc', content };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const name = `carnet_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-'));
  // The API runs in its own process, as in production, so the load generator does not share its CPU.
  const port = 3900 + Math.floor(Math.random() * 90);
  const api = spawn(process.execPath, [path.resolve(__dirname, '../../scripts/run.js'), path.resolve(__dirname, '../apps/api/src/main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: url.toString(), REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', QUEUE_PREFIX: name, LOG_LEVEL: 'warn', DATA_DIR: dataDir, DATABASE_POOL_SIZE: '20' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 100) throw new Error('the API did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const pool = new Pool({ connectionString: url.toString(), max: CONNECTIONS });

  try {
    // An intern with one trace per connection (autosave edits one's own trace).
    const argon2 = await import('argon2');
    const hash = await argon2.hash('benchmark password', { type: argon2.argon2id });
    const user = await pool.query(
      `INSERT INTO promotion (year) VALUES (2025) ON CONFLICT DO NOTHING;`,
    ).then(() => pool.query(`INSERT INTO app_user (email, last_name, first_name, roles, promotion, password_hash) VALUES ('bench@dumg.test', 'Bench', 'Interne', '{intern}', 2025, $1) RETURNING id`, [hash]));
    void user;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@dumg.test', password: 'benchmark password' }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const bodies = Array.from({ length: 8 }, (_, i) => JSON.stringify({ content: document50k(i) }));
    console.log(`payload: ${(Buffer.byteLength(bodies[0]) / 1024).toFixed(1)} KB per PATCH, ${CONNECTIONS} connections, ${SECONDS} s each`);
    const create = async () => {
      const response = await fetch(`${base}/api/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ kind: 'rsca', title: 'Autosave', competences: ['relation'], familles: ['chronique'], content: JSON.parse(bodies[0]).content }),
      });
      return ((await response.json()) as { id: string }).id;
    };
    const apiTraces = await Promise.all(Array.from({ length: CONNECTIONS }, create));
    const rawTraces = await Promise.all(Array.from({ length: CONNECTIONS }, create));

    // The API: each connection owns a trace and sends the version it last saw, as the editor does.
    const load = async (traces: string[], save: (id: string, version: number, n: number) => Promise<number | null>) => {
      const latencies: number[] = [];
      let failures = 0;
      const deadline = Date.now() + SECONDS * 1000;
      await Promise.all(
        traces.map(async (id) => {
          let version = 1;
          for (let n = 0; Date.now() < deadline; n++) {
            const started = process.hrtime.bigint();
            const next = await save(id, version, n);
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            if (next === null) failures++;
            else version = next;
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rps: latencies.length / SECONDS, failures };
    };
    const http = await load(apiTraces, async (id, version, n) => {
      const response = await fetch(`${base}/api/traces/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'if-match': `"${version}"` },
        body: bodies[n % bodies.length],
      });
      const body = (await response.json()) as { version: number };
      return response.status === 200 ? body.version : null;
    });

    // The baseline: the same row update, already validated, straight through `pg`.
    const texts = bodies.map((b) => {
      const { node, json } = validateDocument(JSON.parse(b).content);
      return { json: JSON.stringify(json), text: plainText(node) };
    });
    const raw = await load(rawTraces, async (id, version, n) => {
      const { json, text } = texts[n % texts.length];
      const updated = await pool.query(
        `UPDATE trace SET content = $1, content_text = $2, version = version + 1, updated_at = now() WHERE id = $3 AND version = $4 AND status IN ('draft', 'changes_requested') RETURNING version`,
        [json, text, id, version],
      );
      return updated.rows[0]?.version ?? null;
    });

    console.log('');
    console.log('                       p50 ms    p99 ms    req/s');
    console.log(`API PATCH (autosave)  ${http.p50.toFixed(1).padStart(7)}  ${http.p99.toFixed(1).padStart(8)}  ${http.rps.toFixed(0).padStart(7)}`);
    console.log(`raw pg UPDATE         ${raw.p50.toFixed(1).padStart(7)}  ${raw.p99.toFixed(1).padStart(8)}  ${raw.rps.toFixed(0).padStart(7)}`);
    console.log(`ratio API / raw       ${(http.p50 / raw.p50).toFixed(1).padStart(6)}x  ${(http.p99 / raw.p99).toFixed(1).padStart(7)}x  ${(http.rps / raw.rps).toFixed(2).padStart(7)}x`);
    console.log(`failed saves: API ${http.failures}, raw ${raw.failures}`);
  } finally {
    await pool.end();
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
