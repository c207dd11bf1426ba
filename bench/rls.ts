/**
 * bench/rls: what faculties cost the hot reads (ADR 0007), measured three ways back to back on
 * the seeded national data set (npm run bench:seed first), each read's statements as
 * bench/reads.ts's baselines send them, prepared:
 *
 *   (a) plain, as the tables' owner: no row-level security, no transaction (the deployment
 *       before faculties: one statement, one round trip);
 *   (b) in the reader's faculty's scope exactly as the API sends a statement there: the scope
 *       statement (`START TRANSACTION; set_config(carnet.faculty); SET LOCAL ROLE carnet_app`),
 *       the statement, `COMMIT`, as carnet_app under the policies;
 *   (c) the same scope with row-level security disabled on every sealed table (re-enabled
 *       after, whatever happens): the scope transaction's cost without the policies'.
 *
 * (b) runs interleaved with (a), request by request, then (c) with (a) again (row-level security
 * is switched per table, so (b) and (c) cannot share a run): each ratio is taken within one
 * interleaved run, on a machine whose load moves. So (c)/(a) is the transaction's price and (b)/(c) the policies'. The admin's reads of their
 * whole faculty are sent by (a) and (c) with the faculty in their WHERE (see `Read`): the same
 * rows in all three ways, where the policy is (b)'s only filter. One client at a time, then 10
 * at once; p50/p95/p99 and throughput. Then EXPLAIN (ANALYZE) of each statement plain and under
 * the policies, with its top node and its scans, flagging a sequential scan of a big table.
 * The reads are the statements alone (as for a session the API remembers); the session lookup,
 * which the API sends as the system before the scope opens, is measured as a case of its own.
 *
 *   npm run bench:seed -- --interns 2000 && npm run bench:rls -- --interns 2000
 *   BENCH_SECONDS (default 6), BENCH_ONLY=inbox,progress (cases whose names contain a word)
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Pool, PoolClient } from 'pg';
import { hashToken } from '../apps/api/src/auth/tokens';
import { currentPhase, phaseWindow } from '@carnet/domain';
import { statementName } from '@carnet/database';
import { OPEN_SESSION_INTERNS_SQL, PROGRESS_SQL } from '@carnet/portfolio';
import { scopeStatement } from '../libs/database/src/tenancy';
import type { Statement } from './support/bare-server';
import { percentile } from './support/bench-system';

const args = process.argv.slice(2);
const INTERNS = Number(args[args.indexOf('--interns') + 1] || 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const CONCURRENCY = 10;
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type Mode = 'plain' | 'scoped' | 'scoped, RLS off';
/**
 * `plain`: what (a) and (c) send instead, for a read of everything the reader's faculty holds
 * (the admin's): the same statement with the faculty written in its WHERE, so that all three
 * ways read the same rows (a deployment before faculties held one DUMG's rows alone).
 */
type Read = Statement & { plain?: Statement };
interface Case {
  name: string;
  /** The reader's faculty: the scope their statements run in. */
  faculty: string;
  steps: Read[][];
}

/** Each statement as a named prepared statement on a connection of `pool`, as the API sends its hot reads. */
const prepared = (client: Pool | PoolClient, s: Statement) => client.query({ name: statementName(s.text), text: s.text, values: s.params });

/** (b) and (c): a statement in a scoped transaction of its own, as the API runs one outside an explicit transaction (three round trips). */
async function inScope(pool: Pool, faculty: string, s: Statement) {
  const client = await pool.connect();
  try {
    await client.query(scopeStatement({ facultyId: faculty }));
    const result = await prepared(client, s);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

interface Measured {
  p50: number;
  p95: number;
  p99: number;
  /** Requests a second `clients` loops would answer sending only this way (clients ÷ mean latency). */
  rps: number;
  count: number;
  failures: number;
}

/**
 * Runs `ways` interleaved for `seconds` from `clients` loops, each loop taking the ways in turn,
 * after a second unmeasured: the machine's ups and downs (it is shared) fall on every way alike,
 * where ways measured one after the other would each meet a different moment. Latencies per way.
 */
async function interleaved(clients: number, seconds: number, ways: (() => Promise<boolean>)[]): Promise<Measured[]> {
  const latencies = ways.map((): number[] => []);
  const failures = ways.map(() => 0);
  const run = async (until: number, record: boolean, worker: number) => {
    for (let n = worker; Date.now() < until; n++) {
      const way = n % ways.length;
      const started = process.hrtime.bigint();
      const ok = await ways[way]().catch(() => false);
      if (!record) continue;
      latencies[way].push(Number(process.hrtime.bigint() - started) / 1e6);
      if (!ok) failures[way]++;
    }
  };
  const warm = Date.now() + 1000;
  await Promise.all(Array.from({ length: clients }, (_, worker) => run(warm, false, worker)));
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, (_, worker) => run(deadline, true, worker)));
  return latencies.map((list, way) => {
    list.sort((a, b) => a - b);
    const mean = list.reduce((sum, l) => sum + l, 0) / list.length;
    return { p50: percentile(list, 50), p95: percentile(list, 95), p99: percentile(list, 99), rps: (clients * 1000) / mean, count: list.length, failures: failures[way] };
  });
}

/** A case's steps in order, each step's statements in parallel (as reads.ts's baselines). */
const runner = (pool: Pool, mode: Mode, c: Case) => async () => {
  for (const step of c.steps) {
    await Promise.all(step.map((s) => (mode === 'plain' ? prepared(pool, s.plain ?? s) : inScope(pool, c.faculty, mode === 'scoped' ? s : (s.plain ?? s)))));
  }
  return true;
};

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Total Time'?: number;
  Plans?: PlanNode[];
}

/** The plan's top node, and every scan of a table in it (`seq!` a sequential scan of a table of over `big` rows). */
function describePlan(plan: PlanNode, sizes: Map<string, number>, big: number): { top: string; scans: string[]; seqOnBig: string[] } {
  const scans: string[] = [];
  const seqOnBig: string[] = [];
  const walk = (node: PlanNode) => {
    if (node['Relation Name']) {
      const relation = node['Relation Name'];
      scans.push(`${node['Node Type']} ${relation}${node['Index Name'] ? ` (${node['Index Name']})` : ''}`);
      if (node['Node Type'] === 'Seq Scan' && (sizes.get(relation) ?? 0) > big) seqOnBig.push(relation);
    }
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan);
  const top = `${plan['Node Type']}${plan['Relation Name'] ? ` on ${plan['Relation Name']}` : ''}${plan['Index Name'] ? ` using ${plan['Index Name']}` : ''}`;
  return { top, scans: [...new Set(scans)], seqOnBig: [...new Set(seqOnBig)] };
}

async function main(): Promise<void> {
  const url = new URL(ADMIN_URL);
  url.pathname = `/carnet_bench_${INTERNS}`;
  // Connections set as the API's are (no JIT: libs/database/src/data-source.ts); one pool per way, so no plan is shared between them.
  const pools = { plain: new Pool({ connectionString: url.toString(), max: CONCURRENCY, options: '-c jit=off' }), scoped: new Pool({ connectionString: url.toString(), max: CONCURRENCY, options: '-c jit=off' }) };
  const owner = new Pool({ connectionString: url.toString(), max: 2, options: '-c jit=off' });
  const explainDir = path.resolve(__dirname, '../../bench/explain', String(INTERNS));
  fs.mkdirSync(explainDir, { recursive: true });
  fs.writeFileSync(path.join(explainDir, 'rls.txt'), '');

  // The sealed tables: those with a faculty policy. A run interrupted in (c) left some without
  // row-level security: put it back first.
  const sealed = (await owner.query(`SELECT DISTINCT c.relname AS name, c.relrowsecurity AS on FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND p.polname LIKE '%\\_faculty' ORDER BY 1`)).rows as { name: string; on: boolean }[];
  for (const table of sealed.filter((t) => !t.on)) await owner.query(`ALTER TABLE ${table.name} ENABLE ROW LEVEL SECURITY`);
  const setRls = async (on: boolean) => {
    for (const table of sealed) await owner.query(`ALTER TABLE ${table.name} ${on ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`);
  };
  const sizes = new Map(((await owner.query(`SELECT relname, reltuples::bigint AS n FROM pg_class WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace`)).rows as { relname: string; n: string }[]).map((r) => [r.relname, Number(r.n)]));

  // The readers, found as bench/reads.ts finds them.
  const q = async (text: string, params: unknown[] = []) => (await owner.query(text, params)).rows;
  const [busy] = await q(`SELECT t.intern_id AS id, u.promotion, u.faculty_id, count(*)::int AS n FROM trace t JOIN app_user u ON u.id = t.intern_id AND u.active GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1 LIMIT 1`);
  const phase = currentPhase(busy.promotion, new Date());
  const [tutor] = await q(`SELECT u.id, u.faculty_id FROM tutorship t JOIN app_user u ON u.id = t.tutor_id WHERE t.intern_id = $1 AND t.ended_at IS NULL`, [busy.id]);
  const [jury] = await q(`SELECT jm.user_id AS id, u.faculty_id FROM jury_intern ji JOIN jury_member jm ON jm.session_id = ji.session_id JOIN app_user u ON u.id = jm.user_id WHERE ji.intern_id = $1 LIMIT 1`, [busy.id]);
  const [admin] = await q(`SELECT id, faculty_id FROM app_user WHERE email = 'admin@bench.carnet.fr'`);
  const [rsca] = await q(`SELECT t.id FROM trace t WHERE t.intern_id = $1 AND t.kind = 'rsca' AND t.status <> 'draft' ORDER BY (SELECT count(*) FROM trace_comment c WHERE c.trace_id = t.id) DESC, t.id LIMIT 1`, [busy.id]);
  const [{ n: faculties }] = await q(`SELECT count(*)::int AS n FROM faculty`);
  // A live session for the lookup, removed at the end.
  const token = randomBytes(32).toString('base64url');
  await q(`INSERT INTO session (user_id, token_hash, csrf_token, expires_at) VALUES ($1, $2, 'bench', now() + interval '1 hour')`, [tutor.id, hashToken(token)]);

  // The statements, as bench/reads.ts's baselines send them.
  const COLUMNS = `t.id, t.intern_id, t.kind, t.title, t.competences, t.familles, t.stage_id, t.status, t.version, t.created_at, t.updated_at, t.submitted_at, t.validated_at, t.validated_by, t.validated_sha256`;
  const unread = (me: string) =>
    `(SELECT count(*)::int FROM trace_comment c WHERE c.trace_id = p.id AND c.author_id <> '${me}'
        AND c.created_at > coalesce((SELECT r.seen_at FROM trace_read r WHERE r.user_id = '${me}' AND r.trace_id = p.id), '-infinity')) AS unread`;
  const SETS_SQL = `SELECT ARRAY(SELECT intern_id FROM tutorship WHERE tutor_id = $1 AND ended_at IS NULL) AS tutees,
    ARRAY(SELECT DISTINCT intern_id FROM tutorship WHERE tutor_id = $1 AND ended_at IS NOT NULL) AS former,
    ARRAY(SELECT DISTINCT intern_id FROM (${OPEN_SESSION_INTERNS_SQL}) j) AS jury`;
  const [sets] = await q(SETS_SQL, [jury.id]);
  const juryScope = `((t.intern_id = ANY($2::uuid[]) AND t.status <> 'draft')
    OR (t.intern_id = ANY($3::uuid[]) AND EXISTS (SELECT 1 FROM trace_reviewer r WHERE r.trace_id = t.id AND r.tutor_id = $1))
    OR (t.intern_id = ANY($4::uuid[]) AND t.status = 'validated'))`;
  const search = (me: string, where: string, words: string) => `WITH m AS MATERIALIZED (
      SELECT t.id, t.updated_at, ts_rank_cd(t.search, q) AS rank FROM trace t, plainto_tsquery('public.french_unaccent', '${words}') q WHERE ${where} AND t.search @@ q),
      top AS (SELECT m.id, m.rank FROM m ORDER BY m.rank DESC, m.updated_at DESC, m.id LIMIT 20)
    SELECT c.total, p.*, ${unread(me)},
           ts_headline('public.french_unaccent', left(t.title || E'\\n' || t.content_text, 8000), plainto_tsquery('public.french_unaccent', '${words}'), 'MaxFragments=2, MaxWords=25, MinWords=10') AS snippet
      FROM (SELECT count(*)::int AS total FROM m) c
      LEFT JOIN LATERAL (SELECT ${COLUMNS}, top.rank FROM top JOIN trace t ON t.id = top.id) p ON true
      LEFT JOIN trace t ON t.id = p.id
     ORDER BY p.rank DESC, p.updated_at DESC, p.id`;
  const inbox = `t.intern_id = ANY(ARRAY(SELECT intern_id FROM tutorship WHERE tutor_id = $1))
    AND (t.intern_id = ANY(ARRAY(SELECT intern_id FROM tutorship WHERE tutor_id = $1 AND ended_at IS NULL)) OR EXISTS (SELECT 1 FROM trace_reviewer r WHERE r.trace_id = t.id AND r.tutor_id = $1))`;
  const monthAgo = new Date(Date.now() - 30 * 86400_000).toISOString();
  const F = admin.faculty_id as string;
  const auditPage = (faculty: string) => `WITH page AS MATERIALIZED (SELECT id FROM audit_log WHERE ${faculty} action = 'trace.validated' AND occurred_at >= $1 ORDER BY occurred_at DESC, id DESC LIMIT 51)
      SELECT a.id, a.occurred_at, a.actor_id, a.action, a.subject_type, a.subject_id, a.ip, a.request_id, a.details FROM page JOIN audit_log a ON a.id = page.id ORDER BY a.occurred_at DESC, a.id DESC`;
  const AUDIT_COUNT_OF_FACULTY = `WITH b AS (SELECT $1::timestamptz AS lo_at,
        date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC' + interval '1 day' - interval '1 microsecond') AT TIME ZONE 'UTC' AS lo,
        coalesce((SELECT (through + 1)::timestamp AT TIME ZONE 'UTC' FROM audit_rollup), '-infinity') AS hi)
    SELECT CASE WHEN b.lo >= b.hi THEN (SELECT count(*) FROM audit_log WHERE faculty_id = $2 AND action = 'trace.validated' AND occurred_at >= b.lo_at)
      ELSE (SELECT coalesce(sum(n), 0) FROM audit_day WHERE faculty_id = $2 AND action = 'trace.validated' AND day >= (b.lo AT TIME ZONE 'UTC')::date AND day < (b.hi AT TIME ZONE 'UTC')::date)
         + (SELECT count(*) FROM audit_log WHERE faculty_id = $2 AND action = 'trace.validated' AND occurred_at >= b.lo_at AND occurred_at < b.lo)
         + (SELECT count(*) FROM audit_log WHERE faculty_id = $2 AND action = 'trace.validated' AND occurred_at >= b.hi) END FROM b`;
  const FOLDED = `public.carnet_fold(u.last_name || ' ' || u.first_name || ' ' || u.email) LIKE public.carnet_fold('%mart%')`;
  const userSearch = (faculty: string) => `WITH u AS MATERIALIZED (SELECT u.id, u.email, u.last_name, u.first_name, u.roles, upp.code, u.promotion, u.active, u.created_at FROM app_user u LEFT JOIN upp ON upp.id = u.upp_id WHERE ${faculty} ${FOLDED}) SELECT * FROM u ORDER BY u.last_name, u.first_name, u.id LIMIT 50`;
  const userCount = (faculty: string) => `SELECT count(*)::int FROM app_user u WHERE ${faculty} ${FOLDED}`;

  const cases: Case[] = [
    {
      name: 'session lookup (the API: as the system)',
      faculty: tutor.faculty_id,
      steps: [[{
        text: `SELECT s.id, s.csrf_token, s.expires_at, u.id AS user_id, u.roles FROM session s JOIN app_user u ON u.id = s.user_id AND u.active
            WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
        params: [hashToken(token)],
      }]],
    },
    {
      name: 'intern trace list (status + competence)',
      faculty: busy.faculty_id,
      steps: [[
        { text: `SELECT p.*, ${unread(busy.id)} FROM (SELECT ${COLUMNS} FROM trace t WHERE t.intern_id = $1 AND t.status = 'validated' AND 'relation' = ANY(t.competences) ORDER BY t.updated_at DESC, t.id LIMIT 50) p ORDER BY p.updated_at DESC, p.id`, params: [busy.id] },
        { text: `SELECT count(*)::int FROM trace t WHERE t.intern_id = $1 AND t.status = 'validated' AND 'relation' = ANY(t.competences)`, params: [busy.id] },
      ]],
    },
    {
      name: 'tutor review inbox',
      faculty: tutor.faculty_id,
      steps: [[
        { text: `SELECT p.*, ${unread(tutor.id)} FROM (SELECT ${COLUMNS} FROM trace t WHERE t.status = 'submitted' AND ${inbox} ORDER BY t.submitted_at, t.id LIMIT 50) p ORDER BY p.submitted_at, p.id`, params: [tutor.id] },
        { text: `SELECT count(*)::int FROM trace t WHERE t.status = 'submitted' AND ${inbox}`, params: [tutor.id] },
      ]],
    },
    {
      name: 'admin list of every trace',
      faculty: admin.faculty_id,
      steps: [[
        { text: `SELECT ${COLUMNS} FROM trace t ORDER BY t.updated_at DESC, t.id LIMIT 50`, params: [], plain: { text: `SELECT ${COLUMNS} FROM trace t WHERE t.faculty_id = $1 ORDER BY t.updated_at DESC, t.id LIMIT 50`, params: [F] } },
        { text: `SELECT coalesce(sum(n), 0)::int FROM trace_tally`, params: [], plain: { text: `SELECT coalesce(sum(n), 0)::int FROM trace_tally WHERE faculty_id = $1`, params: [F] } },
      ]],
    },
    {
      name: 'admin list of one competence',
      faculty: admin.faculty_id,
      steps: [[
        { text: `SELECT ${COLUMNS} FROM trace t WHERE 'relation' = ANY(t.competences) AND t.kind = 'rsca' ORDER BY t.updated_at DESC, t.id LIMIT 50`, params: [], plain: { text: `SELECT ${COLUMNS} FROM trace t WHERE t.faculty_id = $1 AND 'relation' = ANY(t.competences) AND t.kind = 'rsca' ORDER BY t.updated_at DESC, t.id LIMIT 50`, params: [F] } },
        { text: `SELECT coalesce(sum(n), 0)::int FROM trace_tag_tally WHERE axis = 'competence' AND tag = 'relation' AND kind = 'rsca'`, params: [], plain: { text: `SELECT coalesce(sum(n), 0)::int FROM trace_tag_tally WHERE faculty_id = $1 AND axis = 'competence' AND tag = 'relation' AND kind = 'rsca'`, params: [F] } },
      ]],
    },
    {
      name: 'admin list of a competence and a famille',
      faculty: admin.faculty_id,
      steps: [[
        { text: `SELECT ${COLUMNS} FROM trace t WHERE 'relation' = ANY(t.competences) AND 'urgence' = ANY(t.familles) ORDER BY t.updated_at DESC, t.id LIMIT 50`, params: [], plain: { text: `SELECT ${COLUMNS} FROM trace t WHERE t.faculty_id = $1 AND 'relation' = ANY(t.competences) AND 'urgence' = ANY(t.familles) ORDER BY t.updated_at DESC, t.id LIMIT 50`, params: [F] } },
        { text: `SELECT coalesce(sum(n), 0)::int FROM trace_tag_tally WHERE axis = 'pair' AND tag = 'relation/urgence'`, params: [], plain: { text: `SELECT coalesce(sum(n), 0)::int FROM trace_tag_tally WHERE faculty_id = $1 AND axis = 'pair' AND tag = 'relation/urgence'`, params: [F] } },
      ]],
    },
    {
      name: 'admin audit log (one action, 30 days)',
      faculty: admin.faculty_id,
      steps: [[
        { text: auditPage(''), params: [monthAgo], plain: { text: auditPage('faculty_id = $2 AND'), params: [monthAgo, F] } },
        // audit_count() as one faculty's, written out: the whole days from the roll-up, the rest from the log.
        { text: `SELECT audit_count('trace.validated', $1, NULL)`, params: [monthAgo], plain: { text: AUDIT_COUNT_OF_FACULTY, params: [monthAgo, F] } },
      ]],
    },
    {
      name: 'admin user search',
      faculty: admin.faculty_id,
      steps: [[
        { text: userSearch(''), params: [], plain: { text: userSearch('u.faculty_id = $1 AND'), params: [F] } },
        { text: userCount(''), params: [], plain: { text: userCount('u.faculty_id = $1 AND'), params: [F] } },
      ]],
    },
    {
      name: 'French search, one intern',
      faculty: busy.faculty_id,
      steps: [[{ text: search(busy.id, `t.intern_id = $1`, 'diabétique'), params: [busy.id] }]],
    },
    {
      name: 'French search, a jury member',
      faculty: jury.faculty_id,
      steps: [
        [{ text: SETS_SQL, params: [jury.id] }],
        [{ text: search(jury.id, juryScope, 'vaccinés'), params: [jury.id, sets.tutees, sets.former, sets.jury] }],
      ],
    },
    {
      name: `progress (${busy.n} traces)`,
      faculty: busy.faculty_id,
      steps: [
        [{ text: `SELECT * FROM app_user WHERE id = $1`, params: [busy.id] }],
        [{ text: PROGRESS_SQL, params: [busy.id, phase, phase === 'socle' ? new Date(0) : phaseWindow(busy.promotion, phase).from] }],
      ],
    },
    {
      name: 'GET a 10-page RSCA (audited read)',
      faculty: tutor.faculty_id,
      steps: [[{
        text: `WITH found AS (SELECT t.*, EXISTS (SELECT 1 FROM tutorship ts WHERE ts.tutor_id = $2 AND ts.intern_id = t.intern_id AND ts.ended_at IS NULL) AS tutor FROM trace t WHERE t.id = $1),
              audit AS (INSERT INTO audit_log (actor_id, action, subject_type, subject_id, details) SELECT $2, 'trace.read', 'trace', found.id::text, '{"as":"tutor"}' FROM found WHERE found.tutor)
            SELECT found.*, (SELECT coalesce(json_agg(a.* ORDER BY a.created_at), '[]') FROM attachment a WHERE a.trace_id = found.id) AS attachments FROM found`,
        params: [rsca.id, tutor.id],
      }]],
    },
    {
      // The read mark names its faculty: as the owner outside a scope, with several faculties, no default can.
      name: 'its comments (marks them read)',
      faculty: tutor.faculty_id,
      steps: [
        [{ text: `SELECT EXISTS (SELECT 1 FROM tutorship ts WHERE ts.tutor_id = $1 AND ts.intern_id = $2 AND ts.ended_at IS NULL)`, params: [tutor.id, busy.id] }],
        [
          { text: `SELECT c.*, u.first_name, u.last_name FROM trace_comment c JOIN app_user u ON u.id = c.author_id WHERE c.trace_id = $1 ORDER BY c.created_at, c.id`, params: [rsca.id] },
          { text: `INSERT INTO trace_read (user_id, trace_id, seen_at, faculty_id) VALUES ($1, $2, now(), $3) ON CONFLICT (user_id, trace_id) DO UPDATE SET seen_at = now()`, params: [tutor.id, rsca.id, tutor.faculty_id] },
        ],
      ],
    },
  ];
  const chosen = cases.filter((c) => !ONLY || ONLY.some((word) => c.name.includes(word)));
  console.log(`data set: ${INTERNS} interns in ${faculties} faculties; the readers are of ${new Set(chosen.map((c) => c.faculty)).size} of them (the admin of dumg1); ${sealed.length} sealed tables; ${SECONDS} s per measure (1 client: half), ${CONCURRENCY} clients`);

  // (a) beside (b) with the policies on, then (a) again beside (c) with them off: each ratio within its own interleaved run.
  type Row = { name: string; plain: Measured; scoped: Measured; plainAgain: Measured; off: Measured };
  const [single, many]: Row[][] = [[], []];
  const explained: string[] = [];
  try {
    for (const c of chosen) {
      const measureAll = async (clients: number, seconds: number): Promise<Row> => {
        const [plain, scoped] = await interleaved(clients, seconds, [runner(pools.plain, 'plain', c), runner(pools.scoped, 'scoped', c)]);
        await setRls(false);
        try {
          const [plainAgain, off] = await interleaved(clients, seconds, [runner(pools.plain, 'plain', c), runner(pools.scoped, 'scoped, RLS off', c)]);
          return { name: c.name, plain, scoped, plainAgain, off };
        } finally {
          await setRls(true);
        }
      };
      single.push(await measureAll(1, SECONDS / 2));
      many.push(await measureAll(CONCURRENCY, SECONDS));
      process.stderr.write(`  measured: ${c.name}\n`);

      // The plans, plain and under the policies, each in a transaction rolled back (two of the statements write).
      for (const s of c.steps.flat()) {
        const plans: Record<string, ReturnType<typeof describePlan> & { ms: number; text: string }> = {};
        for (const mode of ['plain', 'scoped'] as const) {
          const client = await (mode === 'plain' ? pools.plain : pools.scoped).connect();
          try {
            await client.query(mode === 'plain' ? 'BEGIN' : scopeStatement({ facultyId: c.faculty }));
            const sent = mode === 'plain' ? (s.plain ?? s) : s;
            const [{ 'QUERY PLAN': [json] }] = (await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sent.text}`, sent.params)).rows;
            const text = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sent.text}`, sent.params)).rows.map((r) => r['QUERY PLAN']).join('\n');
            plans[mode] = { ...describePlan(json.Plan, sizes, 10_000), ms: json['Execution Time'], text };
          } finally {
            await client.query('ROLLBACK').catch(() => undefined);
            client.release();
          }
        }
        const head = s.text.replace(/\s+/g, ' ').slice(0, 90);
        explained.push(`${c.name}: ${head}…`);
        for (const [mode, plan] of Object.entries(plans)) {
          explained.push(`  ${mode.padEnd(7)} ${plan.ms.toFixed(2).padStart(8)} ms  top: ${plan.top}${plan.seqOnBig.length ? `  SEQ SCAN of ${plan.seqOnBig.join(', ')}` : ''}`);
          explained.push(`          scans: ${plan.scans.join('; ') || '(none)'}`);
        }
        fs.appendFileSync(path.join(explainDir, 'rls.txt'), `${s.text.replace(/\s+/g, ' ')}\n\nplain:\n${plans.plain.text}\n\nscoped (RLS on):\n${plans.scoped.text}\n\n----\n\n`);
      }
    }
  } finally {
    await setRls(true);
    await q(`DELETE FROM session WHERE token_hash = $1`, [hashToken(token)]);
    await Promise.all([pools.plain.end(), pools.scoped.end()]);
    await owner.end();
  }

  const print = (title: string, rows: Row[]) => {
    console.log(`\n${title}`);
    const cell = (n: number) => n.toFixed(2).padStart(8);
    console.log(`${'read'.padEnd(44)} ${'way'.padEnd(16)}      p50      p95      p99    req/s errors   (b)/(a) p50 p99 req/s   (c)/(a) p50 p99 req/s`);
    for (const row of rows) {
      const ratio = (m: Measured, base: Measured) => `${(m.p50 / base.p50).toFixed(2)}x ${(m.p99 / base.p99).toFixed(2)}x ${(m.rps / base.rps).toFixed(2)}x`;
      const line = (name: string, way: string, m: Measured, extra = '') => console.log(`${name.padEnd(44)} ${way.padEnd(16)} ${cell(m.p50)} ${cell(m.p95)} ${cell(m.p99)} ${m.rps.toFixed(0).padStart(8)} ${String(m.failures).padStart(6)}   ${extra}`);
      line(row.name, '(a) plain', row.plain);
      line('', '(b) scoped, RLS', row.scoped, ratio(row.scoped, row.plain));
      line('', '(a) beside (c)', row.plainAgain);
      line('', '(c) scoped, off', row.off, `${''.padEnd(22)}${ratio(row.off, row.plainAgain)}`);
    }
  };
  print('one client at a time (ms; (b) and (c) each interleaved with (a), ratios against that (a); req/s: clients ÷ mean latency)', single);
  print(`${CONCURRENCY} clients at once (the 2 cores shared by PostgreSQL and the load)`, many);
  console.log('\nplans (EXPLAIN ANALYZE): top node and scans, plain (a) and under the policies (b)');
  for (const line of explained) console.log(line);
  console.log(`\nwhole plans: ${path.relative(process.cwd(), path.join(explainDir, 'rls.txt'))}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
