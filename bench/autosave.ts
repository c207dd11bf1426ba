/**
 * bench/autosave: PATCH of a 52 KB trace with If-Match, as interns' editors autosave, against the
 * real API over HTTP (session, validation, the one UPDATE), with a worker running as in production
 * (it keeps the search vectors of edited traces up to date), beside two baselines measured in the
 * same run on the same database and at the same concurrency:
 *
 * - the real `trace` table's UPDATE, already validated, sent with raw `pg` (what the table's
 *   design costs: its indexes, the plain text, what the row carries);
 * - a bare UPDATE of the same 52 KB JSON into a plain table with a primary key and a version,
 *   created by the bench and dropped after (the physical limit: one row rewritten).
 *
 * The API is measured three times: as the web editor saves (`contentDelta`, the paragraph typed
 * in since the last save, and `Prefer: return=minimal`, the new version and metadata only); with
 * the whole document and a minimal answer (the web editor before deltas); and as any other
 * client does (the whole document, the whole trace back).
 * p50/p99/throughput, with 20 and with 100 concurrent editors, ratios against each baseline.
 *
 *   npm run bench:autosave            (BENCH_DATABASE_URL, default the local PostgreSQL server)
 *   BENCH_DATABASE=carnet_bench_16000 npm run bench:autosave   (on the national data set of bench:seed)
 *   BENCH_SECONDS=10 BENCH_EDITORS=20,100 npm run bench:autosave
 */
import 'reflect-metadata';
import fs from 'node:fs';
import { plainText, validateDocument } from '@carnet/editor';
import { measure, Measured, startBenchSystem } from './support/bench-system';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** A seeded database to measure on (`npm run bench:seed -- --interns 16000` makes `carnet_bench_16000`), kept after; default a fresh one. */
const DATABASE = process.env.BENCH_DATABASE;
const EDITORS = (process.env.BENCH_EDITORS ?? '20,100').split(',').map(Number);
/** The API's ways of saving measured (`BENCH_MODES=delta` to profile the web editor's alone). */
const MODES = (process.env.BENCH_MODES ?? 'delta,minimal,full').split(',') as ('delta' | 'minimal' | 'full')[];
const MODE_NAMES = {
  delta: 'API PATCH, delta, minimal answer (web editor)',
  minimal: 'API PATCH, whole document, minimal answer',
  full: 'API PATCH, whole document and trace back',
};

/** About 52 KB of French rich text: headings and paragraphs. */
function document50k(seed: number): Record<string, unknown> {
  const sentence = `Patient de ${40 + (seed % 40)} ans, suivi pour un diabète de type 2 et une hypertension artérielle ; nous reprenons ensemble l’observance et les objectifs. `;
  const content: unknown[] = [];
  for (let section = 0; JSON.stringify(content).length < 50_000; section++) {
    content.push({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `Partie ${section + 1}` }] });
    for (let p = 0; p < 4; p++) content.push({ type: 'paragraph', content: [{ type: 'text', text: sentence.repeat(3) }] });
  }
  return { type: 'doc', content };
}

/** Waits until a process has started and rests (under 5 % of a core for a second): a worker's start is not measured. */
async function settled(pid: number): Promise<void> {
  const cpu = () => {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  };
  for (let before = cpu(), i = 0; i < 120; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpu();
    if (now - before < 50 && i > 2) return;
    before = now;
  }
}

interface Row {
  name: string;
  m: Measured;
}

function print(editors: number, rows: Row[], real: Measured, bare: Measured): void {
  const cell = (n: number) => n.toFixed(1).padStart(8);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`.padStart(7);
  console.log(`\n${editors} concurrent editors, ${SECONDS} s each`);
  console.log(`${''.padEnd(46)}     p50      p99    req/s   errors  api ms/req (kernel)  db ms/req   p50/real p99/real  tput/real   p50/bare p99/bare  tput/bare`);
  for (const { name, m } of [...rows, { name: 'real `trace` UPDATE, raw pg (baseline 1)', m: real }, { name: 'bare 52 KB row UPDATE, raw pg (baseline 2)', m: bare }]) {
    const [cpu, kernel, db] = [m.cpuMs, m.systemCpuMs, m.databaseCpuMs].map((ms) => (ms === undefined ? '' : ms.toFixed(2)));
    console.log(
      `${name.padEnd(46)} ${cell(m.p50)} ${cell(m.p99)} ${cell(m.rps)} ${String(m.failures).padStart(8)} ${cpu.padStart(11)} ${(kernel && `(${kernel})`).padStart(8)} ${db.padStart(10)}   ` +
        `${ratio(m.p50, real.p50)}  ${ratio(m.p99, real.p99)}   ${ratio(m.rps, real.rps)}    ${ratio(m.p50, bare.p50)}  ${ratio(m.p99, bare.p99)}   ${ratio(m.rps, bare.rps)}`,
    );
  }
}

async function main(): Promise<void> {
  const system = await startBenchSystem(DATABASE ? { databaseName: DATABASE, keepDatabase: true } : {});
  // The worker indexes what the editors type for search, a few seconds behind them: its work
  // runs on the same cores, inside the measured window, as it does in production.
  const worker = system.startWorker();
  try {
    await settled(worker.pid!);
    await system.pool.query(`INSERT INTO promotion (year) VALUES (2025) ON CONFLICT DO NOTHING`);
    // In the first faculty (a seeded database has 35); on a kept database, the one of a run before.
    const [{ id: benchUser }] = (
      await system.pool.query<{ id: string }>(
        `INSERT INTO app_user (email, last_name, first_name, roles, promotion, password_hash, faculty_id)
         VALUES ('bench@dumg.test', 'Bench', 'Interne', '{intern}', 2025, $1, (SELECT id FROM faculty ORDER BY created_at, code LIMIT 1))
         ON CONFLICT (faculty_id, email) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING id`,
        [await system.passwordHash()],
      )
    ).rows;
    await system.pool.query(`DROP TABLE IF EXISTS bench_bare_row`);
    await system.pool.query(`CREATE TABLE bench_bare_row (id integer PRIMARY KEY, body jsonb NOT NULL, version integer NOT NULL DEFAULT 1)`);
    const [{ traces: tracesInDatabase, size }] = (
      await system.pool.query<{ traces: string; size: string }>(`SELECT (SELECT reltuples::bigint FROM pg_class WHERE relname = 'trace') AS traces, pg_size_pretty(pg_database_size(current_database())) AS size`)
    ).rows;
    const token = await system.login('bench@dumg.test');
    const bodies = Array.from({ length: 8 }, (_, i) => JSON.stringify({ content: document50k(i) }));
    // The baselines send the same document, already validated, as the API writes it.
    const texts = bodies.map((b) => {
      const { node, json } = validateDocument(JSON.parse(b).content);
      return { json: JSON.stringify(json), text: plainText(node) };
    });
    const blockCount = (JSON.parse(bodies[0]).content.content as unknown[]).length;
    const typed = 'Nous reprenons ensemble l’observance, les objectifs tensionnels et la surveillance du rein';
    console.log(`payload: ${(Buffer.byteLength(bodies[0]) / 1024).toFixed(1)} KB per whole-document PATCH, ${blockCount} blocks; editors: ${EDITORS.join(', ')}; ${SECONDS} s per measure; PostgreSQL ${(await system.pool.query('SHOW server_version')).rows[0].server_version}`);
    console.log(`database: ${DATABASE ?? 'a fresh one'}, ${size}, about ${Math.max(0, Number(tracesInDatabase)).toLocaleString('en')} traces`);
    const create = async () => {
      const response = await system.request('POST', '/api/traces', {
        token,
        body: JSON.stringify({ kind: 'rsca', title: 'Autosave', competences: ['relation'], familles: ['chronique'], content: JSON.parse(bodies[0]).content }),
      });
      if (response.status !== 201) throw new Error(`create: ${response.status} ${response.body.toString()}`);
      return response.json<{ id: string }>()!.id;
    };
    let bareIds = 0;
    // The trace's updates so far, and how many were heap-only (no index entry written); the
    // counters reach pg_stat_user_tables within a second of each transaction.
    const traceUpdates = async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const [row] = (await system.pool.query<{ all: string; hot: string }>(`SELECT n_tup_upd AS all, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relname = 'trace'`)).rows;
      return { all: Number(row.all), hot: Number(row.hot) };
    };
    // The database's own CPU per request: every backend of the bench's database (the API's, the
    // worker's, the baselines'), read once the measure is warm.
    const backends = async () =>
      (await system.pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`)).rows.map((row) => row.pid);

    for (const editors of EDITORS) {
      // Each editor owns a trace and sends the version it last saw, as the web editor does.
      const apiRun = async (mode: 'delta' | 'minimal' | 'full') => {
        const traces = await Promise.all(Array.from({ length: editors }, create));
        const versions = traces.map(() => 1);
        const prefer = mode !== 'full';
        let [applied, answered] = [0, 0];
        const updatesBefore = await traceUpdates();
        const m = await measure(editors, SECONDS, async (worker, n) => {
          // The editor's delta: one paragraph, rewritten with what was typed since the last save.
          const at = 1 + ((n * 5) % (blockCount - 1));
          const body =
            mode === 'delta'
              ? JSON.stringify({ contentDelta: { blocks: blockCount, from: at, to: at + 1, insert: [{ type: 'paragraph', content: [{ type: 'text', text: `${typed} (${worker}.${n})` }] }] } })
              : bodies[n % bodies.length];
          const response = await system.request('PATCH', `/api/traces/${traces[worker]}`, {
            token,
            body,
            headers: { 'if-match': `"${versions[worker]}"`, ...(prefer ? { prefer: 'return=minimal' } : {}) },
          });
          if (response.status !== 200) return false;
          answered++;
          versions[worker] = response.json<{ version: number }>()!.version;
          if (response.headers['preference-applied'] === 'return=minimal') applied++;
          return true;
        }, system.apiPid, backends);
        const updates = await traceUpdates();
        const heapOnly = (updates.hot - updatesBefore.hot) / Math.max(1, updates.all - updatesBefore.all);
        return { m, applied: answered ? applied / answered : 0, heapOnly };
      };
      const measured: { mode: (typeof MODES)[number]; m: Measured; applied: number; heapOnly: number }[] = [];
      for (const mode of MODES) measured.push({ mode, ...(await apiRun(mode)) });

      const rawTraces = await Promise.all(Array.from({ length: editors }, create));
      const rawVersions = rawTraces.map(() => 1);
      // The statement the API sends: the search vector is left to the worker (migration 25), the
      // lists' order moves once a minute (migration 41).
      const real = await measure(editors, SECONDS, async (worker, n) => {
        const { json, text } = texts[n % texts.length];
        const updated = await system.pool.query(
          `UPDATE trace SET content = $1, content_text = $2, search_stale = true, version = version + 1,
              updated_at = CASE WHEN updated_at > now() - interval '1 minute' THEN updated_at ELSE now() END, saved_at = now()
            WHERE id = $3 AND version = $4 AND status IN ('draft', 'changes_requested') RETURNING version`,
          [json, text, rawTraces[worker], rawVersions[worker]],
        );
        if (updated.rows[0]) rawVersions[worker] = updated.rows[0].version;
        return Boolean(updated.rows[0]);
      }, undefined, backends);

      const first = bareIds;
      bareIds += editors;
      await system.pool.query(`INSERT INTO bench_bare_row (id, body) SELECT g, $1 FROM generate_series($2::int, $3::int) g`, [texts[0].json, first, first + editors - 1]);
      const bareVersions = Array.from({ length: editors }, () => 1);
      const bare = await measure(editors, SECONDS, async (worker, n) => {
        const updated = await system.pool.query(`UPDATE bench_bare_row SET body = $1, version = version + 1 WHERE id = $2 AND version = $3 RETURNING version`, [
          texts[n % texts.length].json,
          first + worker,
          bareVersions[worker],
        ]);
        if (updated.rows[0]) bareVersions[worker] = updated.rows[0].version;
        return Boolean(updated.rows[0]);
      }, undefined, backends);

      print(editors, measured.map(({ mode, m }) => ({ name: MODE_NAMES[mode], m })), real, bare);
      console.log(`trace updates written heap-only (no index entry): ${measured.map(({ mode, heapOnly }) => `${(heapOnly * 100).toFixed(0)} % (${mode})`).join(', ')}`);
      console.log(`Preference-Applied: return=minimal on ${measured.map(({ mode, applied }) => `${(applied * 100).toFixed(0)} % (${mode})`).join(', ')}; asked by delta and minimal, not by full`);
    }
    await system.pool.query(`DROP TABLE bench_bare_row`);
    // A kept database loses the traces the editors wrote (their search vectors, revisions, files cascade).
    if (DATABASE) await system.pool.query(`DELETE FROM trace WHERE intern_id = $1`, [benchUser]);
  } finally {
    await system.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
