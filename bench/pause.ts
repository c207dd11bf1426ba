/**
 * bench/pause: the first click after a pause. An intern's trace list read after the API has
 * had nothing to do for BENCH_PAUSE seconds (12), against the same read right after (the
 * baseline, in the same run), with the API's pool keeping idle connections as configured
 * (DATABASE_POOL_IDLE_SECONDS, 600) and as pg does by default (10 s).
 *
 *   npm run bench:seed -- --interns 500 && npm run bench:pause -- --interns 500
 */
import 'reflect-metadata';
import { percentile, startBenchSystem } from './support/bench-system';

const args = process.argv.slice(2);
const INTERNS = Number(args[args.indexOf('--interns') + 1] || 500);
const PAUSE = Number(process.env.BENCH_PAUSE ?? 12);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);

async function measure(idleSeconds: number): Promise<{ paused: number[]; warm: number[] }> {
  const system = await startBenchSystem({ databaseName: `carnet_bench_${INTERNS}`, keepDatabase: true, poolSize: 10, env: { DATABASE_POOL_IDLE_SECONDS: String(idleSeconds) } });
  try {
    const [intern] = (await system.pool.query(`SELECT u.email FROM app_user u WHERE 'intern' = ANY(u.roles) AND u.active ORDER BY u.email LIMIT 1`)).rows;
    const token = await system.login(intern.email);
    const read = async () => {
      const started = process.hrtime.bigint();
      const response = await system.request('GET', '/api/traces?pageSize=20', { token });
      if (!response.ok) throw new Error(`GET /api/traces: ${response.status}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    // Ten clients for a while first: the pool opens several connections, as on a busy hour.
    await Promise.all(Array.from({ length: 10 }, async () => { for (let i = 0; i < 30; i++) await read(); }));
    const [paused, warm] = [[] as number[], [] as number[]];
    for (let round = 0; round < ROUNDS; round++) {
      await new Promise((resolve) => setTimeout(resolve, PAUSE * 1000));
      // As many at once as the pool had open: each takes a connection that waited the pause.
      paused.push(...(await Promise.all(Array.from({ length: 5 }, read))));
      warm.push(...(await Promise.all(Array.from({ length: 5 }, read))));
    }
    return { paused: paused.sort((a, b) => a - b), warm: warm.sort((a, b) => a - b) };
  } finally {
    await system.stop();
  }
}

async function main(): Promise<void> {
  console.log(`${INTERNS} interns; ${ROUNDS} pauses of ${PAUSE} s, then 5 reads at once, then 5 more right after`);
  console.log(`${'idle connections kept'.padEnd(28)} ${'after the pause p50 / p95'.padStart(26)} ${'right after p50 / p95'.padStart(22)}   ratio`);
  for (const idle of [600, 10]) {
    const { paused, warm } = await measure(idle);
    const cell = (values: number[]) => `${percentile(values, 50).toFixed(1)} / ${percentile(values, 95).toFixed(1)} ms`;
    console.log(`${`${idle} s${idle === 10 ? ' (pg default)' : ''}`.padEnd(28)} ${cell(paused).padStart(26)} ${cell(warm).padStart(22)}   ${(percentile(paused, 50) / percentile(warm, 50)).toFixed(1)}×`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
