import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { builtScript, exited } from '../support/processes';

/**
 * The embedded PostgreSQL that `npm start` runs on: one PGlite session behind a socket server,
 * shared by every connection of the API's and the worker's pools. PGlite loads its WebAssembly
 * with dynamic imports, which Jest's module loader does not run: it is started, built, in a
 * child process, and the test connects to it as the API does.
 */
describe('the embedded PostgreSQL', () => {
  let dataDir: string;
  let server: ChildProcess;
  let pools: Pool[];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-embedded-'));
    const script = builtScript(`
      const { startEmbeddedPostgres } = require('@carnet/database');
      startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} }).then((pg) => {
        process.stdout.write(pg.url + '\\n');
        process.stdin.on('end', () => pg.stop().then(() => process.exit(0))).resume();
      });`);
    server = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      server.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (${code})`)));
    });
    // As `npm start` runs: the API's pool and the worker's, each of several connections.
    pools = [new Pool({ connectionString: url, max: 5 }), new Pool({ connectionString: url, max: 5 })];
  }, 60_000);

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    server.stdin!.end();
    await exited(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers each of many concurrent parameterised queries from several connections with its own rows', async () => {
    // Three shapes of statement with their own parameters, sent at once from ten connections,
    // some as large as an autosaved 10-page RSCA (its query arrives in several pieces): each
    // must come back with the values it was sent, never another query's, nor fail to bind.
    const large = 'Le patient de 67 ans consulte pour une toux persistante. '.repeat(12_000);
    const asked = Array.from({ length: 300 }, (_, i) => i);
    const expected = (i: number) => (i % 10 === 0 ? { length: large.length + String(i).length } : i % 3 === 0 ? { n: i } : { s: `trace ${i}`, list: [i, i + 1] });
    const answers = await Promise.allSettled(
      asked.map(async (i) => {
        const pool = pools[i % 2];
        if (i % 10 === 0) return (await pool.query('SELECT length($1::text) AS length', [large + i])).rows[0];
        if (i % 3 === 0) return (await pool.query('SELECT $1::int AS n', [i])).rows[0];
        return (await pool.query('SELECT $1::text AS s, $2::int[] AS list', [`trace ${i}`, [i, i + 1]])).rows[0];
      }),
    );
    expect(answers.map((answer) => (answer.status === 'fulfilled' ? answer.value : String(answer.reason).slice(0, 120)))).toEqual(asked.map(expected));
  });

  it('keeps serving after a failed statement, and a transaction sees only its own connection', async () => {
    await pools[0].query('CREATE TABLE IF NOT EXISTS note (id int PRIMARY KEY, body text)');
    await expect(pools[0].query('SELECT $1::int', ['pas un nombre'])).rejects.toThrow(/invalid input syntax/);
    const client = await pools[0].connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO note VALUES ($1, $2)', [1, 'brouillon']);
      // Another connection's read, meanwhile, waits for the transaction rather than joining it.
      const outside = pools[1].query('SELECT count(*)::int AS n FROM note WHERE id = $1', [1]);
      await client.query('ROLLBACK');
      expect((await outside).rows[0].n).toBe(0);
    } finally {
      client.release();
    }
    expect((await pools[1].query('SELECT $1::int AS n', [7])).rows[0]).toEqual({ n: 7 });
  });
});
