/**
 * The floor under any HTTP service on this machine: a bare `node:http` server in its own process
 * that answers request `/n` with exactly the statements of the raw baseline `n` (the session
 * lookup, then each step's statements in parallel) on raw `pg`, prepared as the API's hot reads
 * are, and their rows as JSON. Between
 * it and the raw baseline lie only the HTTP hop, a second process's round trips to PostgreSQL
 * and serialising the answer; between it and the API, everything Carnet adds (routing, guards,
 * validation, logging, metrics, the ORM).
 *
 * Started by bench/reads.ts (`startBareServer`), which sends it the statements over IPC.
 */
import http from 'node:http';
import { Pool } from 'pg';
import { statementName } from '@carnet/database';

export type Statement = { text: string; params: unknown[] };
export interface BareCase {
  /** Left out for a session the server remembers (as the API's SessionCache does). */
  lookup?: Statement;
  steps: Statement[][];
}

/**
 * What a hand-written endpoint sends for a case: the session lookup (unless remembered), then each step's statements
 * in parallel. The raw baseline runs it in the bench process, the bare server behind HTTP; null
 * when the session is not found, else the last step's rows. `prepared`: each statement as a
 * named prepared statement, planned once per connection, as the API sends its hot reads.
 */
export async function runCase(pool: Pool, { lookup, steps }: BareCase, prepared = false): Promise<unknown[][] | null> {
  const send = (s: Statement) => pool.query(prepared ? { name: statementName(s.text), text: s.text, values: s.params } : { text: s.text, values: s.params });
  if (lookup && !(await send(lookup)).rowCount) return null;
  let rows: unknown[][] = [];
  for (const step of steps) rows = (await Promise.all(step.map(send))).map((result) => result.rows);
  return rows;
}

// Run as a process by startBareServer (which sets BENCH_BARE_SERVER); importing its types starts nothing.
if (process.env.BENCH_BARE_SERVER) {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10), options: '-c jit=off' });
  process.once('message', (cases: BareCase[]) => {
    const server = http.createServer((request, response) => {
      const found = cases[Number(request.url?.slice(1))];
      const answer = async () => {
        if (!found) return { status: 404, body: '{}' };
        const rows = await runCase(pool, found, true);
        return rows ? { status: 200, body: JSON.stringify(rows) } : { status: 401, body: '{}' };
      };
      answer().then(
        ({ status, body }) => response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body),
        (error: unknown) => {
          process.stderr.write(`bare server: ${String(error)}\n`);
          response.writeHead(500).end();
        },
      );
    });
    server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
  });
  process.once('disconnect', () => process.exit(0));
}
