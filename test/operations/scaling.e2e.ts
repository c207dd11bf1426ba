import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { makeUser, PASSWORD } from '../support/actors';
import { createMigratedDatabase, MigratedDatabase, testQueuePrefix } from '../support/database';
import { exited, startCarnet } from '../support/processes';
import type { DataSource } from 'typeorm';

/**
 * Past one machine, as far as one machine allows: two API processes and two worker processes on
 * one PostgreSQL and one Redis, requests spread over both APIs. No acknowledged write is lost,
 * and every queued export is built exactly once.
 */
let database: MigratedDatabase;
let dataSource: DataSource;
const children: ChildProcess[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-scale-'));
const prefix = testQueuePrefix();
const ports = [0, 1].map((i) => 20000 + ((process.pid * 2 + i) % 20000));

function start(app: 'api' | 'worker', extra: Record<string, string> = {}) {
  const child = startCarnet(app, {
    DATABASE_URL: database.url,
    REDIS_URL: process.env.TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATA_DIR: dataDir, // one shared "bucket" for all processes, as S3 would be
    ...extra,
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  database = await createMigratedDatabase();
  dataSource = database.dataSource;
  for (const port of ports) start('api', { PORT: String(port), HOST: '127.0.0.1' });
  start('worker');
  start('worker');
  for (const port of ports) {
    for (let i = 0; !(await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false)); i++) {
      if (i > 150) throw new Error(`API on ${port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}, 90_000);
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map(exited));
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const api = (i: number) => `http://127.0.0.1:${ports[i % 2]}/api`;
async function call(i: number, method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${api(i)}${url}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> };
}

describe('two APIs and two workers on one PostgreSQL and one Redis', () => {
  it('spreads autosaves over both APIs without losing an acknowledged write', async () => {
    const intern = await makeUser(dataSource, { roles: ['intern'], upp: 'nimes' });
    const login = await fetch(`${api(0)}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: intern.email, password: PASSWORD }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken; // sessions live in PostgreSQL: valid on both
    const created = await call(1, 'POST', '/traces', token, { kind: 'trace', title: 'Deux serveurs', competences: [], familles: [] });
    const id = created.body.id as string;

    // Two "tabs", one on each API, saving as fast as they can with the version they last saw.
    let lastAcknowledged = '';
    const acknowledged: string[] = [];
    const tab = async (tabIndex: number) => {
      let version = 1;
      for (let n = 0; n < 40; n++) {
        const title = `onglet ${tabIndex} écriture ${n}`;
        const saved = await call(tabIndex + n, 'PATCH', `/traces/${id}`, token, { title }, { 'if-match': `"${version}"` });
        if (saved.status === 200) {
          version = saved.body.version as number;
          acknowledged.push(title);
          lastAcknowledged = title;
        } else {
          expect(saved.status).toBe(412); // stale: refused, never silently overwritten
          const current = await call(tabIndex + n + 1, 'GET', `/traces/${id}`, token);
          version = current.body.version as number;
        }
      }
    };
    await Promise.all([tab(0), tab(1)]);
    const final = await call(0, 'GET', `/traces/${id}`, token);
    // Every acknowledged save moved the version by exactly one: none was lost or doubled.
    expect(final.body.version).toBe(1 + acknowledged.length);
    expect(final.body.title).toBe(lastAcknowledged);
    expect(acknowledged.length).toBeGreaterThan(40);
  });

  it('builds each of 12 exports requested through both APIs exactly once', async () => {
    const requests: { token: string; exportId: string; i: number }[] = [];
    for (let i = 0; i < 12; i++) {
      const intern = await makeUser(dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2025 });
      const tutor = await makeUser(dataSource, { roles: ['tutor'], upp: 'nimes' }); // one tutee per promotion each
      await dataSource.query(`INSERT INTO tutorship (tutor_id, intern_id, promotion) VALUES ($1, $2, 2025)`, [tutor.id, intern.id]);
      await dataSource.query(
        `INSERT INTO trace (intern_id, kind, title, content, content_text, status, validated_at, validated_by, validated_sha256, ever_submitted)
         VALUES ($1, 'trace', 'Trace validée', '{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Récit."}]}]}', 'Récit.', 'validated', now(), $2, 'x', true)`,
        [intern.id, tutor.id],
      );
      const login = await fetch(`${api(i)}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: intern.email, password: PASSWORD }) });
      const token = ((await login.json()) as { accessToken: string }).accessToken;
      const requested = await call(i, 'POST', `/portfolios/${intern.id}/exports`, token, { format: 'pdf', scope: 'validated' });
      expect(requested.status).toBe(202);
      // A double click on the other API returns the same export.
      const again = await call(i + 1, 'POST', `/portfolios/${intern.id}/exports`, token, { format: 'pdf', scope: 'validated' });
      if (again.status === 200) expect(again.body.id).toBe(requested.body.id);
      requests.push({ token, exportId: requested.body.id as string, i });
    }
    const deadline = Date.now() + 60_000;
    for (const { token, exportId, i } of requests) {
      for (;;) {
        const status = await call(i, 'GET', `/exports/${exportId}`, token);
        if (status.body.status === 'completed') break;
        if (status.body.status === 'failed' || Date.now() > deadline) throw new Error(`export ${exportId}: ${JSON.stringify(status.body)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = await client.query(`SELECT attempts, status FROM portfolio_export WHERE id = ANY($1)`, [requests.map((r) => r.exportId)]);
      expect(rows.rows.every((r) => r.status === 'completed' && r.attempts === 1)).toBe(true);
      // One stored file per export: no job ran twice.
      const files = fs.readdirSync(path.join(dataDir, 'objects', 'exports'), { recursive: true }).filter((f) => String(f).endsWith('.pdf'));
      expect(files).toHaveLength(12);
    } finally {
      await client.end();
    }
  });
});
