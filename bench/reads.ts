/**
 * bench/reads: the hot reads of the product on a seeded national data set (npm run bench:seed
 * first), through the API in its own process, each beside the equivalent hand-written SQL on
 * raw `pg` (the baseline: the session lookup, then the statements a hand-written endpoint would
 * send), and beside the same statements behind a bare node:http server (the floor under any HTTP
 * service on this machine), and beside the statements alone, prepared (what the API sends for a
 * session it remembers: SessionCache), one client at a time and 10 at once. Prints p50/p95/p99, throughput and the ratios;
 * saves EXPLAIN (ANALYZE, BUFFERS) of each baseline statement under bench/explain/<interns>/.
 *
 *   npm run bench:seed -- --interns 500 && npm run bench:reads -- --interns 500
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { hashToken } from '../apps/api/src/auth/tokens';
import { OPEN_SESSION_INTERNS_SQL } from '@carnet/portfolio';
import { currentPhase, phaseWindow } from '@carnet/domain';
import { PROGRESS_SQL } from '@carnet/portfolio';
import { runCase, Statement } from './support/bare-server';
import { measure, Measured, printTable, startBareServer, startBenchSystem } from './support/bench-system';

const args = process.argv.slice(2);
const INTERNS = Number(args[args.indexOf('--interns') + 1] || 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = 10;
/** BENCH_ONLY=inbox,progress: only the benchmarks whose names contain one of these words. */
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);

async function main(): Promise<void> {
  const system = await startBenchSystem({ databaseName: `carnet_bench_${INTERNS}`, keepDatabase: true, poolSize: CONCURRENCY });
  const { pool } = system;
  const explainDir = path.resolve(__dirname, '../../bench/explain', String(INTERNS));
  fs.mkdirSync(explainDir, { recursive: true });
  try {
    const [busy] = (await pool.query(`SELECT t.intern_id AS id, u.promotion, count(*)::int AS n FROM trace t JOIN app_user u ON u.id = t.intern_id AND u.active GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1`)).rows;
    const phase = currentPhase(busy.promotion, new Date());
    const [intern] = (await pool.query(`SELECT email FROM app_user WHERE id = $1`, [busy.id])).rows;
    const [tutor] = (await pool.query(`SELECT u.id, u.email, u.faculty_id FROM tutorship t JOIN app_user u ON u.id = t.tutor_id WHERE t.intern_id = $1 AND t.ended_at IS NULL`, [busy.id])).rows;
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
      const response = await system.request('GET', `/api${url}`, { token });
      return response.ok;
    };
    // The baseline: what a hand-written endpoint would send PostgreSQL for the same answer, on
    // raw `pg`: the session lookup every authenticated request makes, then the statements (in
    // parallel where they do not depend on each other). The ratio is the cost of the rest.
    const sessionLookup = (token: string) => ({
      text: `SELECT s.id, s.csrf_token, s.expires_at, u.id AS user_id, u.roles FROM session s JOIN app_user u ON u.id = s.user_id AND u.active
              WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
      params: [hashToken(token)],
    });
    const sql = (prepared: boolean, token: string | null, ...steps: Statement[][]) => async () => (await runCase(pool, { lookup: token === null ? undefined : sessionLookup(token), steps }, prepared)) !== null;
    const explain = async (name: string, statements: Statement[]) => {
      const plans: string[] = [];
      for (const statement of statements) {
        const plan = (await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.params)).rows.map((r) => r['QUERY PLAN']).join('\n');
        plans.push(`${statement.text.replace(/\s+/g, ' ')}\n\n${plan}\n`);
      }
      fs.writeFileSync(path.join(explainDir, `${name}.txt`), plans.join('\n----\n\n'));
    };
    const COLUMNS = `t.id, t.intern_id, t.kind, t.title, t.competences, t.familles, t.stage_id, t.status, t.version, t.created_at, t.updated_at, t.submitted_at, t.validated_at, t.validated_by, t.validated_sha256`;
    const unread = (me: string) =>
      `(SELECT count(*)::int FROM trace_comment c WHERE c.trace_id = p.id AND c.author_id <> '${me}'
          AND c.created_at > coalesce((SELECT r.seen_at FROM trace_read r WHERE r.user_id = '${me}' AND r.trace_id = p.id), '-infinity')) AS unread`;
    // What a member of a jury ($1) reads: their tutees' submitted traces ($2), the ones of former
    // tutees ($3) they reviewed, the validated ones of the interns of their open sessions ($4).
    const SETS_SQL = `SELECT ARRAY(SELECT intern_id FROM tutorship WHERE tutor_id = $1 AND ended_at IS NULL) AS tutees,
      ARRAY(SELECT DISTINCT intern_id FROM tutorship WHERE tutor_id = $1 AND ended_at IS NOT NULL) AS former,
      ARRAY(SELECT DISTINCT intern_id FROM (${OPEN_SESSION_INTERNS_SQL}) j) AS jury`;
    const [juryMember] = (await pool.query(SETS_SQL, [session.user_id])).rows;
    const juryScope = `((t.intern_id = ANY($2::uuid[]) AND t.status <> 'draft')
      OR (t.intern_id = ANY($3::uuid[]) AND EXISTS (SELECT 1 FROM trace_reviewer r WHERE r.trace_id = t.id AND r.tutor_id = $1))
      OR (t.intern_id = ANY($4::uuid[]) AND t.status = 'validated'))`;
    // A search in one statement: the matches ranked and counted once, the page's rows then
    // decorated (unread counts, snippets from the first 8,000 characters).
    const search = (me: string, where: string, q: string) => `WITH m AS MATERIALIZED (
        SELECT t.id, t.updated_at, ts_rank_cd(t.search, q) AS rank FROM trace t, plainto_tsquery('public.french_unaccent', '${q}') q WHERE ${where} AND t.search @@ q),
        top AS (SELECT m.id, m.rank FROM m ORDER BY m.rank DESC, m.updated_at DESC, m.id LIMIT 20)
      SELECT c.total, p.*, ${unread(me)},
             ts_headline('public.french_unaccent', left(t.title || E'\\n' || t.content_text, 8000), plainto_tsquery('public.french_unaccent', '${q}'), 'MaxFragments=2, MaxWords=25, MinWords=10') AS snippet
        FROM (SELECT count(*)::int AS total FROM m) c
        LEFT JOIN LATERAL (SELECT ${COLUMNS}, top.rank FROM top JOIN trace t ON t.id = top.id) p ON true
        LEFT JOIN trace t ON t.id = p.id
       ORDER BY p.rank DESC, p.updated_at DESC, p.id`;
    // A tutor's submitted traces: their tutees', and those of former tutees they reviewed.
    // (Every intern they tutored drives the index; then a current tutee, or a reviewer row.)
    const inbox = `t.intern_id = ANY(ARRAY(SELECT intern_id FROM tutorship WHERE tutor_id = $1))
      AND (t.intern_id = ANY(ARRAY(SELECT intern_id FROM tutorship WHERE tutor_id = $1 AND ended_at IS NULL)) OR EXISTS (SELECT 1 FROM trace_reviewer r WHERE r.trace_id = t.id AND r.tutor_id = $1))`;
    const monthAgo = new Date(Date.now() - 30 * 86400_000).toISOString();
    // The admin reads their faculty's rows (row-level security): the baselines name it in their WHERE, so they read the same rows.
    const [{ faculty_id: F }] = (await pool.query(`SELECT faculty_id FROM app_user WHERE email = 'admin@bench.carnet.fr'`)).rows;
    const rscaOwner = (await pool.query(`SELECT intern_id FROM trace WHERE id = $1`, [rsca.id])).rows[0].intern_id as string;

    const cases: { name: string; api: () => Promise<boolean>; token: string; steps: Statement[][] }[] = [
      {
        name: 'intern trace list (status + competence)',
        api: get(tokens.intern, `/traces?internId=${busy.id}&status=validated&competence=relation&pageSize=50`),
        token: tokens.intern,
        steps: [[
          { text: `SELECT p.*, ${unread(busy.id)} FROM (SELECT ${COLUMNS} FROM trace t WHERE t.intern_id = $1 AND t.status = 'validated' AND 'relation' = ANY(t.competences) ORDER BY t.updated_at DESC, t.id LIMIT 50) p ORDER BY p.updated_at DESC, p.id`, params: [busy.id] },
          { text: `SELECT count(*)::int FROM trace t WHERE t.intern_id = $1 AND t.status = 'validated' AND 'relation' = ANY(t.competences)`, params: [busy.id] },
        ]],
      },
      {
        name: 'tutor review inbox',
        api: get(tokens.tutor, `/traces?status=submitted&sort=submitted&pageSize=50`),
        token: tokens.tutor,
        steps: [[
          { text: `SELECT p.*, ${unread(tutor.id)} FROM (SELECT ${COLUMNS} FROM trace t WHERE t.status = 'submitted' AND ${inbox} ORDER BY t.submitted_at, t.id LIMIT 50) p ORDER BY p.submitted_at, p.id`, params: [tutor.id] },
          { text: `SELECT count(*)::int FROM trace t WHERE t.status = 'submitted' AND ${inbox}`, params: [tutor.id] },
        ]],
      },
      {
        // Metadata of the whole country's traces, newest first: the page off the (updated_at, id)
        // index, the total from the summary the triggers keep (as a hand-writer on this schema would).
        name: 'admin list of every trace',
        api: get(tokens.admin, `/traces?pageSize=50`),
        token: tokens.admin,
        steps: [[
          { text: `SELECT ${COLUMNS} FROM trace t WHERE t.faculty_id = '${F}' ORDER BY t.updated_at DESC, t.id LIMIT 50`, params: [] },
          { text: `SELECT coalesce(sum(n), 0)::int FROM trace_tally WHERE faculty_id = '${F}'`, params: [] },
        ]],
      },
      {
        // The country's RSCAs of one competence (a third of them carry « relation »): the page off
        // the same index, filtered; the total from the per-tag summary the triggers keep.
        name: 'admin list of one competence',
        api: get(tokens.admin, `/traces?competence=relation&kind=rsca&pageSize=50`),
        token: tokens.admin,
        steps: [[
          { text: `SELECT ${COLUMNS} FROM trace t WHERE t.faculty_id = '${F}' AND 'relation' = ANY(t.competences) AND t.kind = 'rsca' ORDER BY t.updated_at DESC, t.id LIMIT 50`, params: [] },
          { text: `SELECT coalesce(sum(n), 0)::int FROM trace_tag_tally WHERE faculty_id = '${F}' AND axis = 'competence' AND tag = 'relation' AND kind = 'rsca'`, params: [] },
        ]],
      },
      {
        // Both filters of the list page, a competence and a famille (one trace in twenty): the
        // page off the same index; the total from the summary's pairs, where a count read every
        // trace (the arrays' `= ANY` filters take no index).
        name: 'admin list of a competence and a famille',
        api: get(tokens.admin, `/traces?competence=relation&famille=urgence&pageSize=50`),
        token: tokens.admin,
        steps: [[
          { text: `SELECT ${COLUMNS} FROM trace t WHERE t.faculty_id = '${F}' AND 'relation' = ANY(t.competences) AND 'urgence' = ANY(t.familles) ORDER BY t.updated_at DESC, t.id LIMIT 50`, params: [] },
          { text: `SELECT coalesce(sum(n), 0)::int FROM trace_tag_tally WHERE faculty_id = '${F}' AND axis = 'pair' AND tag = 'relation/urgence'`, params: [] },
        ]],
      },
      {
        // The audit log of the whole country (millions of entries) for one action over 30 days:
        // whole days from the daily counts, the partial ones and today from the log's index.
        name: 'admin audit log (one action, 30 days)',
        api: get(tokens.admin, `/admin/audit?action=trace.validated&from=${encodeURIComponent(monthAgo)}&pageSize=50`),
        token: tokens.admin,
        steps: [[
          // The page's ids from the action's index, then their entries (as the API reads it: a walk of
          // the time index skipping other actions reads every entry of a busy day first).
          { text: `WITH page AS MATERIALIZED (SELECT id FROM audit_log WHERE faculty_id = '${F}' AND action = 'trace.validated' AND occurred_at >= $1 ORDER BY occurred_at DESC, id DESC LIMIT 51)
              SELECT a.id, a.occurred_at, a.actor_id, a.action, a.subject_type, a.subject_id, a.ip, a.request_id, a.details FROM page JOIN audit_log a ON a.id = page.id ORDER BY a.occurred_at DESC, a.id DESC`, params: [monthAgo] },
          // audit_count() for one faculty, written out: the whole days from the roll-up, the rest from the log.
          { text: `WITH b AS (SELECT $1::timestamptz AS lo_at, date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC' + interval '1 day' - interval '1 microsecond') AT TIME ZONE 'UTC' AS lo,
                coalesce((SELECT (through + 1)::timestamp AT TIME ZONE 'UTC' FROM audit_rollup), '-infinity') AS hi)
              SELECT CASE WHEN b.lo >= b.hi THEN (SELECT count(*) FROM audit_log WHERE faculty_id = '${F}' AND action = 'trace.validated' AND occurred_at >= b.lo_at)
                ELSE (SELECT coalesce(sum(n), 0) FROM audit_day WHERE faculty_id = '${F}' AND action = 'trace.validated' AND day >= (b.lo AT TIME ZONE 'UTC')::date AND day < (b.hi AT TIME ZONE 'UTC')::date)
                   + (SELECT count(*) FROM audit_log WHERE faculty_id = '${F}' AND action = 'trace.validated' AND occurred_at >= b.lo_at AND occurred_at < b.lo)
                   + (SELECT count(*) FROM audit_log WHERE faculty_id = '${F}' AND action = 'trace.validated' AND occurred_at >= b.hi) END FROM b`, params: [monthAgo] },
        ]],
      },
      {
        name: 'admin user search',
        api: get(tokens.admin, `/admin/users?q=mart&pageSize=50`),
        token: tokens.admin,
        steps: [[
          // The matches from the trigram index first, then sorted (as the API does).
          { text: `WITH u AS MATERIALIZED (SELECT u.id, u.email, u.last_name, u.first_name, u.roles, upp.code, u.promotion, u.active, u.created_at FROM app_user u LEFT JOIN upp ON upp.id = u.upp_id WHERE u.faculty_id = '${F}' AND public.carnet_fold(u.last_name || ' ' || u.first_name || ' ' || u.email) LIKE public.carnet_fold('%mart%')) SELECT * FROM u ORDER BY u.last_name, u.first_name, u.id LIMIT 50`, params: [] },
          { text: `SELECT count(*)::int FROM app_user u WHERE u.faculty_id = '${F}' AND public.carnet_fold(u.last_name || ' ' || u.first_name || ' ' || u.email) LIKE public.carnet_fold('%mart%')`, params: [] },
        ]],
      },
      {
        name: 'French search, one intern',
        api: get(tokens.intern, `/traces?q=${encodeURIComponent('diabétique')}&pageSize=20`),
        token: tokens.intern,
        steps: [[
          { text: search(busy.id, `t.intern_id = $1`, 'diabétique'), params: [busy.id] },
        ]],
      },
      {
        name: 'French search, a jury session',
        api: get(tokens.jury, `/traces?q=${encodeURIComponent('vaccinés')}&pageSize=20`),
        token: tokens.jury,
        // The member is an MSU too: the search also covers their tutees, as the API's does.
        // Their sets first (one round trip), then the search on those ids.
        steps: [
          [{ text: SETS_SQL, params: [session.user_id] }],
          [{ text: search(session.user_id, juryScope, 'vaccinés'), params: [session.user_id, juryMember.tutees, juryMember.former, juryMember.jury] }],
        ],
      },
      {
        name: `progress (${busy.n} traces)`,
        api: get(tokens.intern, `/portfolios/${busy.id}/progress`),
        token: tokens.intern,
        steps: [
          [{ text: `SELECT * FROM app_user WHERE id = $1`, params: [busy.id] }],
          // The same one statement as the API's (the intern's current phase, as it computes it).
          [{ text: PROGRESS_SQL, params: [busy.id, phase, phase === 'socle' ? new Date(0) : phaseWindow(busy.promotion, phase).from] }],
        ],
      },
      {
        name: 'GET a 10-page RSCA',
        api: get(tokens.tutor, `/traces/${rsca.id}`),
        token: tokens.tutor,
        // The trace, the reader's tie, its attachments and the audit entry of the read: one statement, as the API sends it.
        steps: [
          [{
            text: `WITH found AS (SELECT t.*, EXISTS (SELECT 1 FROM tutorship ts WHERE ts.tutor_id = $2 AND ts.intern_id = t.intern_id AND ts.ended_at IS NULL) AS tutor FROM trace t WHERE t.id = $1),
                audit AS (INSERT INTO audit_log (actor_id, action, subject_type, subject_id, details) SELECT $2, 'trace.read', 'trace', found.id::text, '{"as":"tutor"}' FROM found WHERE found.tutor)
              SELECT found.*, (SELECT coalesce(json_agg(a.* ORDER BY a.created_at), '[]') FROM attachment a WHERE a.trace_id = found.id) AS attachments FROM found`,
            params: [rsca.id, tutor.id],
          }],
        ],
      },
      {
        name: 'its comments',
        api: get(tokens.tutor, `/traces/${rsca.id}/comments`),
        token: tokens.tutor,
        steps: [
          [{ text: `SELECT EXISTS (SELECT 1 FROM tutorship ts WHERE ts.tutor_id = $1 AND ts.intern_id = $2 AND ts.ended_at IS NULL)`, params: [tutor.id, rscaOwner] }],
          [
            { text: `SELECT c.*, u.first_name, u.last_name FROM trace_comment c JOIN app_user u ON u.id = c.author_id WHERE c.trace_id = $1 ORDER BY c.created_at, c.id`, params: [rsca.id] },
            // The read mark names its faculty: as the owner outside a scope, with several faculties, no default can.
            { text: `INSERT INTO trace_read (user_id, trace_id, seen_at, faculty_id) VALUES ($1, $2, now(), $3) ON CONFLICT (user_id, trace_id) DO UPDATE SET seen_at = now()`, params: [tutor.id, rsca.id, tutor.faculty_id] },
          ],
        ],
      },
    ];

    type Row = { name: string; api: Measured; raw: Measured; prepared: Measured; bare: Measured; remembered: Measured };
    const [rows, single]: Row[][] = [[], []];
    const chosen = cases.filter((c) => !ONLY || ONLY.some((word) => c.name.includes(word)));
    // The floor under any HTTP service here: the raw baseline's statements behind a bare node:http server.
    const bare = await startBareServer(system.databaseUrl, chosen.map((c) => ({ lookup: sessionLookup(c.token), steps: c.steps })));
    // The server warms on all of them first: the first case measured would otherwise pay for it.
    await measure(1, 0, async (_, n) => chosen[n % chosen.length].api());
    await measure(1, 2, async (_, n) => bare.request(n % chosen.length));
    for (const [i, c] of chosen.entries()) {
      await explain(c.name.replace(/\s*\(.*\)/, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase(), c.steps.flat());
      const [raw, prepared, remembered] = [sql(false, c.token, ...c.steps), sql(true, c.token, ...c.steps), sql(true, null, ...c.steps)];
      const viaBare = () => bare.request(i);
      const run = async (clients: number, seconds: number): Promise<Row> => ({
        name: c.name,
        api: await measure(clients, seconds, c.api, system.apiPid),
        raw: await measure(clients, seconds, raw),
        prepared: await measure(clients, seconds, prepared),
        bare: await measure(clients, seconds, viaBare, bare.pid),
        remembered: await measure(clients, seconds, remembered),
      });
      single.push(await run(1, SECONDS / 2));
      rows.push(await run(CONCURRENCY, SECONDS));
    }
    await bare.stop();
    console.log('\none client at a time (latency of a request on an idle system)');
    printTable(single);
    console.log(`\n${CONCURRENCY} clients at once (the 2 cores shared by PostgreSQL, the API and the load)`);
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
