import 'reflect-metadata';
import { startBenchSystem } from './support/bench-system';

async function main(): Promise<void> {
  const system = await startBenchSystem({ databaseName: `carnet_bench_500`, keepDatabase: true, poolSize: 20 });
  const { pool } = system;
  try {
    const interns = (await pool.query(`SELECT u.id, u.email, (SELECT t.id FROM trace t WHERE t.intern_id = u.id AND t.status = 'draft' LIMIT 1) AS draft FROM app_user u WHERE 'intern' = ANY(u.roles) AND u.active ORDER BY u.email LIMIT 30`)).rows.filter((r) => r.draft);
    const tutors = (await pool.query(`SELECT DISTINCT u.id, u.email FROM app_user u JOIN tutorship t ON t.tutor_id = u.id AND t.ended_at IS NULL WHERE NOT 'jury' = ANY(u.roles) ORDER BY u.email LIMIT 30`)).rows;
    const it = [] as string[]; for (const i of interns.slice(0, 20)) it.push(await system.login(i.email));
    const tt = [] as string[]; for (const t of tutors.slice(0, 20)) tt.push(await system.login(t.email));
    const time = async (f: () => Promise<unknown>) => { const s = process.hrtime.bigint(); await f(); return Number(process.hrtime.bigint() - s) / 1e6; };
    const out: Record<string, number[]> = { getTrace: [], patch: [], inbox: [], comment: [] };
    for (let n = 0; n < 20; n++) {
      const id = interns[n].draft as string;
      let version = 0;
      out.getTrace.push(await time(async () => { version = (await system.request('GET', `/api/traces/${id}`, { token: it[n] })).json<{ version: number }>()!.version; }));
      out.patch.push(await time(() => system.request('PATCH', `/api/traces/${id}`, { token: it[n], headers: { 'if-match': `"${version}"` }, body: JSON.stringify({ content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'la situation se précise. '.repeat(40) }] }] } }) })));
      let first: string | undefined;
      out.inbox.push(await time(async () => { first = (await system.request('GET', '/api/traces?status=submitted&sort=submitted&pageSize=20', { token: tt[n] })).json<{ items: { id: string }[] }>()!.items[0]?.id; }));
      if (first) out.comment.push(await time(() => system.request('POST', `/api/traces/${first}/comments`, { token: tt[n], body: JSON.stringify({ body: 'Peux-tu préciser ?' }) })));
    }
    for (const [k, v] of Object.entries(out)) console.log(k.padEnd(10), v.map((x) => x.toFixed(1)).join(' '));
  } finally {
    await system.stop();
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
