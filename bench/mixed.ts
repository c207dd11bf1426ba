/**
 * bench/mixed: 200 simulated users at once on a seeded data set for 60 s — interns autosaving
 * their draft every few seconds, tutors reading their inbox, a trace and commenting, one jury
 * member reading portfolios — against the API in its own process. Prints errors and latency
 * percentiles per action and overall.
 *
 *   npm run bench:seed -- --interns 500 && npm run bench:mixed -- --interns 500
 *   BENCH_SECONDS=20 BENCH_USERS=100 npm run bench:mixed -- --interns 500
 *
 * The users start on an API that has only served their sign-ins: its code paths not yet
 * optimised by V8, its pool's connections and their caches new. The first BENCH_WARMUP seconds
 * (10) are that cold start; they are reported apart, and the BENCH_SECONDS after them are the
 * steady state the targets speak of, as bench:reads measures after two unmeasured seconds.
 */
import 'reflect-metadata';
import { percentile, startBenchSystem } from './support/bench-system';

const args = process.argv.slice(2);
const INTERNS = Number(args[args.indexOf('--interns') + 1] || 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const USERS = Number(process.env.BENCH_USERS ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const THINK_MS = 2000;

type Action = 'autosave' | 'inbox' | 'read trace' | 'comment' | 'jury portfolio';

async function main(): Promise<void> {
  const system = await startBenchSystem({ databaseName: `carnet_bench_${INTERNS}`, keepDatabase: true, poolSize: 20 });
  const { pool } = system;
  const phases = { cold: new Phase(), steady: new Phase() };
  let steadyFrom = Infinity;
  // Each request's start (ms after the load began) and latency, for the per-second timeline.
  const timeline: [number, number][] = [];
  const record = (action: Action, ms: number, status: number | null, started: number) => {
    timeline.push([started - (steadyFrom - WARMUP * 1000), ms]);
    (started >= steadyFrom ? phases.steady : phases.cold).record(action, ms, status);
  };
  const call = async (action: Action, token: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const [at, started] = [Date.now(), process.hrtime.bigint()];
    const response = await system.request(method, `/api${url}`, { token, headers, body: body === undefined ? undefined : JSON.stringify(body) }).catch(() => null);
    const json = response?.json() ?? null;
    record(action, Number(process.hrtime.bigint() - started) / 1e6, response?.status ?? null, at);
    return json as Record<string, unknown> | null;
  };
  try {
    const internCount = Math.round(USERS * 0.7);
    const tutorCount = USERS - internCount - 1;
    const interns = (await pool.query(`SELECT u.id, u.email, (SELECT t.id FROM trace t WHERE t.intern_id = u.id AND t.status = 'draft' LIMIT 1) AS draft FROM app_user u WHERE 'intern' = ANY(u.roles) AND u.active ORDER BY u.email LIMIT $1`, [internCount])).rows;
    const tutors = (await pool.query(`SELECT DISTINCT u.id, u.email FROM app_user u JOIN tutorship t ON t.tutor_id = u.id AND t.ended_at IS NULL WHERE NOT 'jury' = ANY(u.roles) ORDER BY u.email LIMIT $1`, [tutorCount])).rows;
    const [jury] = (await pool.query(`SELECT u.email, jm.session_id FROM jury_member jm JOIN app_user u ON u.id = jm.user_id LIMIT 1`)).rows;
    const juryInterns = (await pool.query(`SELECT intern_id FROM jury_intern WHERE session_id = $1`, [jury.session_id])).rows.map((r) => r.intern_id as string);
    console.log(`${interns.length} interns, ${tutors.length} tutors, 1 jury member; ${WARMUP} s of cold start, then ${SECONDS} s measured; think time ${THINK_MS} ms`);
    const logins = async (emails: string[]) => {
      const tokens: string[] = [];
      for (let i = 0; i < emails.length; i += 10) tokens.push(...(await Promise.all(emails.slice(i, i + 10).map((e) => system.login(e)))));
      return tokens;
    };
    const internTokens = await logins(interns.map((i) => i.email));
    const tutorTokens = await logins(tutors.map((t) => t.email));
    const juryToken = await system.login(jury.email);

    steadyFrom = Date.now() + WARMUP * 1000;
    const deadline = steadyFrom + SECONDS * 1000;
    const think = () => new Promise((resolve) => setTimeout(resolve, THINK_MS * (0.5 + Math.random())));
    // Users arrive spread over the first think time, as people do, not all in the same millisecond.
    const arrive = () => new Promise((resolve) => setTimeout(resolve, THINK_MS * Math.random()));
    const internLoop = async (i: number) => {
      await arrive();
      let id = interns[i].draft as string | null;
      if (!id) id = ((await call('autosave', internTokens[i], 'POST', '/traces', { kind: 'trace', title: 'Brouillon', competences: [], familles: [] })) as { id: string }).id;
      let version = ((await call('autosave', internTokens[i], 'GET', `/traces/${id}`)) as { version: number }).version;
      for (let n = 0; Date.now() < deadline; n++) {
        const saved = await call('autosave', internTokens[i], 'PATCH', `/traces/${id}`, { content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Écriture ${n} : ${'la situation se précise. '.repeat(40)}` }] }] } }, { 'if-match': `"${version}"` });
        if (saved?.version) version = saved.version as number;
        await think();
      }
    };
    const tutorLoop = async (i: number) => {
      await arrive();
      for (let n = 0; Date.now() < deadline; n++) {
        const inbox = (await call('inbox', tutorTokens[i], 'GET', '/traces?status=submitted&sort=submitted&pageSize=20')) as { items?: { id: string }[] } | null;
        const first = inbox?.items?.[0];
        if (first) {
          await call('read trace', tutorTokens[i], 'GET', `/traces/${first.id}`);
          if (n % 3 === 0) await call('comment', tutorTokens[i], 'POST', `/traces/${first.id}/comments`, { body: 'Peux-tu préciser ce point ?' });
        }
        await think();
      }
    };
    const juryLoop = async () => {
      await arrive();
      for (let n = 0; Date.now() < deadline; n++) {
        await call('jury portfolio', juryToken, 'GET', `/jury-sessions/${jury.session_id}/interns/${juryInterns[n % juryInterns.length]}/portfolio`);
        await think();
      }
    };
    await Promise.all([...interns.map((_, i) => internLoop(i)), ...tutors.map((_, i) => tutorLoop(i)), juryLoop()]);

    if (WARMUP > 0) {
      printTimeline(timeline, WARMUP + 5);
      phases.cold.print(`cold start: the first ${WARMUP} s`, WARMUP);
    }
    phases.steady.print(`steady state: the next ${SECONDS} s`, SECONDS);
  } finally {
    await system.stop();
  }
}

/** Requests started in each second of the first `seconds` of the load: how many, p50, p99, the slowest. */
function printTimeline(timeline: [number, number][], seconds: number): void {
  console.log(`\nsecond   requests     p50      p99      max`);
  for (let second = 0; second < seconds; second++) {
    const values = timeline.filter(([at]) => at >= second * 1000 && at < (second + 1) * 1000).map(([, ms]) => ms).sort((a, b) => a - b);
    if (!values.length) continue;
    console.log(`${String(second).padStart(6)} ${String(values.length).padStart(10)} ${[50, 99].map((p) => percentile(values, p).toFixed(1).padStart(7)).join('  ')}  ${values[values.length - 1].toFixed(1).padStart(7)}`);
  }
}

/** The latencies and failures of the requests started in one phase of the run. */
class Phase {
  private readonly samples = new Map<Action, number[]>();
  private readonly failures = new Map<string, number>();
  private errors = 0;

  record(action: Action, ms: number, status: number | null): void {
    if (!this.samples.has(action)) this.samples.set(action, []);
    this.samples.get(action)!.push(ms);
    if (status === null || status >= 400) {
      this.errors++;
      const key = `${action} ${status ?? 'no answer'}`;
      this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
    }
  }

  print(title: string, seconds: number): void {
    const all: number[] = [];
    const line = (name: string, values: number[]) =>
      console.log(`${name.padEnd(16)} ${String(values.length).padStart(7)} ${[50, 95, 99].map((p) => percentile(values, p).toFixed(1).padStart(7)).join('  ')}`);
    console.log(`\n${title}\n${'action'.padEnd(16)} ${'count'.padStart(7)}     p50      p95      p99`);
    for (const [action, values] of this.samples) {
      values.sort((a, b) => a - b);
      all.push(...values);
      line(action, values);
    }
    all.sort((a, b) => a - b);
    line('all', all);
    const failures = [...this.failures].map(([key, n]) => `${key}: ${n}`).join(', ');
    console.log(`throughput ${(all.length / seconds).toFixed(1)} requests/s; errors ${this.errors}${failures ? ` (${failures})` : ''}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
