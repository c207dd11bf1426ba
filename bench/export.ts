/**
 * bench/export: a portfolio of 300 validated traces (short traces and 10-page RSCAs with
 * tables) exported through the real path — API, queue, worker process, storage — as PDF and as
 * ZIP: time, pages, size, and the worker's peak RSS. Baseline: the same document laid out by
 * bare pdfmake in this process, without queue, database or storage. Then the throughput of 50
 * exports queued at once with 1 and 2 worker processes.
 *
 *   npm run bench:export
 *   BENCH_TRACES=100 BENCH_BURST=20 npm run bench:export
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { startBenchSystem } from './support/bench-system';
import { canonicalJson, plainText, sha256Hex, validateDocument } from '@carnet/editor';
import { renderPortfolioPdf } from '../apps/worker/src/exports/pdf-renderer';
import { PortfolioData } from '../apps/worker/src/exports/portfolio';

const TRACES = Number(process.env.BENCH_TRACES ?? 300);
const BURST = Number(process.env.BENCH_BURST ?? 50);
const BURST_TRACES = Number(process.env.BENCH_BURST_TRACES ?? 10);
const root = path.resolve(__dirname, '../..');
const fixture = JSON.parse(fs.readFileSync(path.resolve(root, '../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));

/** A 10-page RSCA: the fixture's sections four times over. */
const longContent = { type: 'doc', content: [0, 1, 2, 3].flatMap(() => fixture.content.content) };
const shortContent = { type: 'doc', content: fixture.content.content.slice(0, 3) };

async function seedPortfolio(pool: Pool, internId: string, tutorId: string, count: number): Promise<void> {
  const docs = [longContent, shortContent].map((doc) => {
    const { node, json } = validateDocument(doc);
    return { json: JSON.stringify(json), text: plainText(node), sha: sha256Hex(canonicalJson(json)) };
  });
  for (let i = 0; i < count; i += 50) {
    const values: string[] = [];
    const params: unknown[] = [];
    for (let j = i; j < Math.min(count, i + 50); j++) {
      const doc = docs[j % 3 === 0 ? 0 : 1]; // a third are long RSCAs
      const p = params.length;
      params.push(internId, j % 3 === 0 ? 'rsca' : 'trace', `${fixture.title} n°${j + 1}`, doc.json, doc.text, tutorId, doc.sha);
      values.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, '{premier_recours,relation}', '{chronique,urgence}', 'validated', 3, true, now(), now(), now(), $${p + 6}, $${p + 7})`);
    }
    await pool.query(
      `INSERT INTO trace (intern_id, kind, title, content, content_text, competences, familles, status, version, ever_submitted, submitted_at, validated_at, updated_at, validated_by, validated_sha256) VALUES ${values.join(', ')}`,
      params,
    );
  }
}

function peakRss(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const system = await startBenchSystem({ poolSize: 4 });
  const { pool } = system;
  try {
    const hash = await system.passwordHash();
    await pool.query(`INSERT INTO promotion (year) VALUES (2025) ON CONFLICT DO NOTHING`);
    const tutor = (await pool.query(`INSERT INTO app_user (email, last_name, first_name, roles) VALUES ('tutor@bench.test', 'Vidal', 'Anne', '{tutor}') RETURNING id`)).rows[0].id;
    const makeIntern = async (i: number) =>
      (await pool.query(`INSERT INTO app_user (email, last_name, first_name, roles, promotion, password_hash) VALUES ($1, 'Fabre', 'Claire', '{intern}', 2025, $2) RETURNING id`, [`intern${i}@bench.test`, hash])).rows[0].id as string;
    const big = await makeIntern(0);
    await seedPortfolio(pool, big, tutor, TRACES);
    const base = system.base;
    const login = (email: string) => system.login(email);
    const request = async (token: string, internId: string, format: string) =>
      ((await (await fetch(`${base}/api/portfolios/${internId}/exports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ format, scope: 'validated' }) })).json()) as { id: string }).id;
    const wait = async (token: string, id: string) => {
      for (;;) {
        const body = (await (await fetch(`${base}/api/exports/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string; pages?: number; size?: number; error?: string };
        if (body.status === 'completed') return body;
        if (body.status === 'failed') throw new Error(body.error);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    console.log(`portfolio: ${TRACES} validated traces (a third are 10-page RSCAs with tables)`);
    const token = await login('intern0@bench.test');
    const worker = system.startWorker();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const results: string[] = [];
    let pdfSeconds = 0;
    for (const format of ['pdf', 'zip']) {
      const started = Date.now();
      const done = await wait(token, await request(token, big, format));
      const seconds = (Date.now() - started) / 1000;
      if (format === 'pdf') pdfSeconds = seconds;
      results.push(`${format.toUpperCase()} through API + queue + worker: ${seconds.toFixed(1)} s, ${done.pages} pages, ${((done.size ?? 0) / 1e6).toFixed(1)} MB`);
    }
    const rss = peakRss(worker.pid!);

    // Baseline: the same document, laid out by bare pdfmake here (no queue, database, storage).
    const rows = (await pool.query(`SELECT id, kind, title, content, validated_at, validated_sha256 FROM trace WHERE intern_id = $1 ORDER BY validated_at, created_at`, [big])).rows;
    const data: PortfolioData = {
      dumgName: 'DUMG',
      generatedAt: new Date().toISOString(),
      scope: 'validated',
      softwareVersion: 'bench',
      intern: { id: big, displayName: 'Claire Fabre', email: 'intern0@bench.test', promotion: 2025, upp: null },
      tutors: [{ displayName: 'Anne Vidal', since: new Date().toISOString(), until: null }],
      assessments: [],
      traces: rows.map((r) => ({
        id: r.id, kind: r.kind, title: r.title, status: 'validated', competences: ['premier_recours', 'relation'], familles: ['chronique', 'urgence'],
        createdAt: new Date().toISOString(), submittedAt: null, validatedAt: r.validated_at.toISOString(), validatedBy: 'Anne Vidal', validatedSha256: r.validated_sha256, content: r.content, attachments: [],
      })),
    };
    const file = path.join(os.tmpdir(), `carnet-baseline-${process.pid}.pdf`);
    const baselineStart = Date.now();
    const { pages } = await renderPortfolioPdf(data, file);
    const baseline = (Date.now() - baselineStart) / 1000;
    results.push(`bare pdfmake, same document:            ${baseline.toFixed(1)} s, ${pages} pages`);
    results.push(`ratio PDF through the system / bare engine: ${(pdfSeconds / baseline).toFixed(2)}x`);
    results.push(`worker peak RSS: ${rss.toFixed(0)} MB`);

    // Throughput: BURST interns with small portfolios, all exported at once.
    const small: string[] = [];
    for (let i = 1; i <= BURST; i++) {
      const id = await makeIntern(i);
      await seedPortfolio(pool, id, tutor, BURST_TRACES);
      small.push(id);
    }
    const tokens = await Promise.all(small.map((_, i) => login(`intern${i + 1}@bench.test`)));
    for (const workers of [1, 2]) {
      if (workers === 2) system.startWorker();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await pool.query(`UPDATE trace SET updated_at = now() WHERE intern_id = ANY($1)`, [small]); // a new portfolio state: new exports
      const started = Date.now();
      const ids = await Promise.all(small.map((id, i) => request(tokens[i], id, 'pdf')));
      await Promise.all(ids.map((id, i) => wait(tokens[i], id)));
      const seconds = (Date.now() - started) / 1000;
      results.push(`${BURST} PDF exports of ${BURST_TRACES} traces queued at once, ${workers} worker(s): ${seconds.toFixed(1)} s, ${(BURST / seconds).toFixed(1)} exports/s`);
    }
    console.log('');
    for (const line of results) console.log(line);
  } finally {
    await system.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
