/**
 * bench/reads: the hot reads of the product on a seeded national data set (npm run bench:seed
 * first), through the API in its own process, each beside the equivalent hand-written SQL on
 * raw `pg` (the baseline), at 10 concurrent clients. Prints p50/p95/p99, throughput and the
 * ratio; saves EXPLAIN (ANALYZE, BUFFERS) of each baseline query under bench/explain/<interns>/.
 *
 *   npm run bench:seed -- --interns 500 && npm run bench:reads -- --interns 500
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { measure, Measured, printTable, startBenchSystem } from './support/bench-system';

const args = process.argv.slice(2);
const INTERNS = Number(args[args.indexOf('--interns') + 1] || 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = 10;

async function main(): Promise<void> {
  const system = await startBenchSystem({ databaseName: `carnet_bench_${INTERNS}`, keepDatabase: true, poolSize: CONCURRENCY });
  const { pool } = system;
  const explainDir = path.resolve(__dirname, '../../bench/explain', String(INTERNS));
  fs.mkdirSync(explainDir, { recursive: true });
  try {
    const [busy] = (await pool.query(`SELECT intern_id AS id, count(*)::int AS n FROM trace GROUP BY 1 ORDER BY 2 DESC LIMIT 1`)).rows;
    const [intern] = (await pool.query(`SELECT email FROM app_user WHERE id = $1`, [busy.id])).rows;
    const [tutor] = (await pool.query(`SELECT u.id, u.email FROM tutorship t JOIN app_user u ON u.id = t.tutor_id WHERE t.intern_id = $1 AND t.ended_at IS NULL`, [busy.id])).rows;
    const [session] = (await pool.query(`SELECT ji.session_id AS id, jm.user_id, u.email FROM jury_intern ji JOIN jury_member jm ON jm.session_id = ji.session_id JOIN app_user u ON u.id = jm.user_id WHERE ji.intern_id = $1 LIMIT 1`, [busy.id])).rows;
    const [rsca] = (await pool.query(`SELECT t.id FROM trace t WHERE t.intern_id = $1 AND t.kind = 'rsca' AND t.status <> 'draft' ORDER BY (SELECT count(*) FROM trace_comment c WHERE c.trace_id = t.id) DESC LIMIT 1`, [busy.id])).rows;
    const tokens = {
      intern: await system.login(intern.email),
      tutor: await system.login(tutor.email),
      admin: await system.login('admin@bench.carnet.fr'),
      jury: await system.login(session.email),
    };
    console.log(`data set: ${INTERNS} interns; the busiest has ${busy.n} traces; ${SECONDS} s per benchmark, ${CONCURRENCY} clients`);

    const get = (token: string, url: string) => async () => {
      const response = await fetch(`${system.base}/api${url}`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      return response.ok;
    };
    const sql = (text: string, params: unknown[]) => async () => {
      await pool.query(text, params);
      return true;
    };
    const explain = async (name: string, text: string, params: unknown[]) => {
      const plan = (await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
      fs.writeFileSync(path.join(explainDir, `${name}.txt`), `${text}\n\n${plan}\n`);
    };

    const cases: { name: string; api: () => Promise<boolean>; raw: { text: string; params: unknown[] } }[] = [
      {
        name: 'intern trace list (status + competence)',
        api: get(tokens.intern, `/traces?internId=${busy.id}&status=validated&competence=relation&pageSize=50`),
        raw: {
          text: `SELECT id, kind, title, competences, familles, status, version, created_at, updated_at FROM trace WHERE intern_id = $1 AND status = 'validated' AND 'relation' = ANY(competences) ORDER BY updated_at DESC LIMIT 50`,
          params: [busy.id],
        },
      },
      {
        name: 'tutor review inbox',
        api: get(tokens.tutor, `/traces?status=submitted&sort=submitted&pageSize=50`),
        raw: {
          text: `SELECT t.id, t.title, t.intern_id, t.submitted_at FROM trace t JOIN tutorship ts ON ts.intern_id = t.intern_id AND ts.ended_at IS NULL AND ts.tutor_id = $1 WHERE t.status = 'submitted' ORDER BY t.submitted_at LIMIT 50`,
          params: [tutor.id],
        },
      },
      {
        name: 'admin user search',
        api: get(tokens.admin, `/admin/users?q=mart&pageSize=50`),
        raw: {
          text: `SELECT id, email, last_name, first_name FROM app_user WHERE unaccent(lower(last_name || ' ' || first_name || ' ' || email)) LIKE unaccent('%mart%') ORDER BY last_name, first_name LIMIT 50`,
          params: [],
        },
      },
      {
        name: 'French search, one intern',
        api: get(tokens.intern, `/traces?q=${encodeURIComponent('diabétique')}&pageSize=20`),
        raw: {
          text: `SELECT id, title, ts_rank_cd(search, q) AS rank FROM trace, plainto_tsquery('public.french_unaccent', 'diabétique') q WHERE intern_id = $1 AND search @@ q ORDER BY rank DESC LIMIT 20`,
          params: [busy.id],
        },
      },
      {
        name: 'French search, a jury session',
        api: get(tokens.jury, `/traces?q=${encodeURIComponent('vaccinés')}&pageSize=20`),
        raw: {
          text: `SELECT t.id, t.title FROM trace t JOIN jury_intern ji ON ji.intern_id = t.intern_id AND ji.session_id = $1 WHERE t.status = 'validated' AND t.search @@ plainto_tsquery('public.french_unaccent', 'vaccinés') LIMIT 20`,
          params: [session.id],
        },
      },
      {
        name: `progress (${busy.n} traces)`,
        api: get(tokens.intern, `/portfolios/${busy.id}/progress`),
        raw: { text: `SELECT kind, competences, familles FROM trace WHERE intern_id = $1 AND status = 'validated'`, params: [busy.id] },
      },
      {
        name: 'GET a 10-page RSCA',
        api: get(tokens.tutor, `/traces/${rsca.id}`),
        raw: { text: `SELECT * FROM trace WHERE id = $1`, params: [rsca.id] },
      },
      {
        name: 'its comments',
        api: get(tokens.tutor, `/traces/${rsca.id}/comments`),
        raw: { text: `SELECT c.*, u.first_name, u.last_name FROM trace_comment c JOIN app_user u ON u.id = c.author_id WHERE c.trace_id = $1 ORDER BY c.created_at`, params: [rsca.id] },
      },
    ];

    const rows: { name: string; api: Measured; raw: Measured }[] = [];
    for (const c of cases) {
      await explain(c.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase(), c.raw.text, c.raw.params);
      const api = await measure(CONCURRENCY, SECONDS, c.api);
      const raw = await measure(CONCURRENCY, SECONDS, sql(c.raw.text, c.raw.params));
      rows.push({ name: c.name, api, raw });
    }
    console.log('');
    printTable(rows);
    console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of each baseline: ${path.relative(process.cwd(), explainDir)}/`);
  } finally {
    await system.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
