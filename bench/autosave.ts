/**
 * bench/autosave: PATCH of a 50 KB trace with If-Match, 20 concurrent editors for 20 s, against
 * the real API over HTTP (session, schema validation, row lock, update), beside the same
 * UPDATE sent with raw `pg` at the same concurrency: the baseline. Prints p50/p95/p99 and
 * throughput for both, and their ratio.
 *
 *   npm run bench:autosave            (BENCH_DATABASE_URL, default the local PostgreSQL server)
 *   BENCH_SECONDS=5 npm run bench:autosave
 */
import 'reflect-metadata';
import { plainText, validateDocument } from '@carnet/editor';
import { measure, printTable, startBenchSystem } from './support/bench-system';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = 20;

/** About 50 KB of French rich text: headings and paragraphs. */
function document50k(seed: number): Record<string, unknown> {
  const sentence = `Patient de ${40 + (seed % 40)} ans, suivi pour un diabète de type 2 et une hypertension artérielle ; nous reprenons ensemble l’observance et les objectifs. `;
  const content: unknown[] = [];
  for (let section = 0; JSON.stringify(content).length < 50_000; section++) {
    content.push({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: `Partie ${section + 1}` }] });
    for (let p = 0; p < 4; p++) content.push({ type: 'paragraph', content: [{ type: 'text', text: sentence.repeat(3) }] });
  }
  return { type: 'doc', content };
}

async function main(): Promise<void> {
  const system = await startBenchSystem();
  try {
    await system.pool.query(`INSERT INTO promotion (year) VALUES (2025) ON CONFLICT DO NOTHING`);
    await system.pool.query(`INSERT INTO app_user (email, last_name, first_name, roles, promotion, password_hash) VALUES ('bench@dumg.test', 'Bench', 'Interne', '{intern}', 2025, $1)`, [await system.passwordHash()]);
    const token = await system.login('bench@dumg.test');
    const bodies = Array.from({ length: 8 }, (_, i) => JSON.stringify({ content: document50k(i) }));
    console.log(`payload: ${(Buffer.byteLength(bodies[0]) / 1024).toFixed(1)} KB per PATCH, ${CONNECTIONS} editors, ${SECONDS} s each`);
    const create = async () => {
      const response = await fetch(`${system.base}/api/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ kind: 'rsca', title: 'Autosave', competences: ['relation'], familles: ['chronique'], content: JSON.parse(bodies[0]).content }),
      });
      return ((await response.json()) as { id: string }).id;
    };
    // Each editor owns a trace and sends the version it last saw, as the web editor does.
    const apiTraces = await Promise.all(Array.from({ length: CONNECTIONS }, create));
    const rawTraces = await Promise.all(Array.from({ length: CONNECTIONS }, create));
    const apiVersions = apiTraces.map(() => 1);
    const rawVersions = rawTraces.map(() => 1);

    const api = await measure(CONNECTIONS, SECONDS, async (worker, n) => {
      const response = await fetch(`${system.base}/api/traces/${apiTraces[worker]}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'if-match': `"${apiVersions[worker]}"` },
        body: bodies[n % bodies.length],
      });
      const body = (await response.json()) as { version: number };
      if (response.status === 200) apiVersions[worker] = body.version;
      return response.status === 200;
    });

    // The baseline: the same row update, already validated, straight through `pg`.
    const texts = bodies.map((b) => {
      const { node, json } = validateDocument(JSON.parse(b).content);
      return { json: JSON.stringify(json), text: plainText(node) };
    });
    const raw = await measure(CONNECTIONS, SECONDS, async (worker, n) => {
      const { json, text } = texts[n % texts.length];
      const updated = await system.pool.query(
        `UPDATE trace SET content = $1, content_text = $2, version = version + 1, updated_at = now() WHERE id = $3 AND version = $4 AND status IN ('draft', 'changes_requested') RETURNING version`,
        [json, text, rawTraces[worker], rawVersions[worker]],
      );
      if (updated.rows[0]) rawVersions[worker] = updated.rows[0].version;
      return Boolean(updated.rows[0]);
    });
    console.log('');
    printTable([{ name: 'PATCH /api/traces/:id (autosave, 52 KB)', api, raw }]);
  } finally {
    await system.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
