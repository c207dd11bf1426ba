import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { exited, until } from './processes';
import { startSmtpServer, TestSmtp } from './smtp-server';

const root = path.resolve(__dirname, '../..');

export const EMBEDDED_ADMIN = { email: 'admin@dumg.test', password: 'Un-mot-de-passe-d-admin-2026' };

export interface EmbeddedRun {
  /** `http://127.0.0.1:<port>`: the web app and `/api`. */
  base: string;
  /** The embedded PostgreSQL's URL, as the launcher prints it. */
  databaseUrl: string;
  /** The test SMTP server, or undefined when started with `smtp: false` (no SMTP_URL: links are shown to the admin). */
  smtp?: TestSmtp;
  /** What the launcher printed so far (for failure messages). */
  output(): string;
  /** One JSON call to the API, as a client does it; throws with the answer on anything but 2xx. */
  call<T = Record<string, unknown>>(method: string, path: string, token: string | null, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/**
 * The product as `npm start` runs it on a machine with nothing else: the launcher (`npm test`
 * builds dist/ first), the embedded PostgreSQL (PGlite), BullMQ on that same database, local-disk
 * storage, in a fresh data directory; the first admin from CARNET_ADMIN_*. Only mail is pointed
 * at a test SMTP server, unless `smtp: false`.
 */
export async function startEmbeddedRun(options: { smtp?: boolean; env?: Record<string, string> } = {}): Promise<EmbeddedRun> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-embedded-'));
  const smtp = options.smtp === false ? undefined : await startSmtpServer();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let output = '';
  const launcher: ChildProcess = spawn(process.execPath, [path.join(root, 'scripts/run.js'), path.join(root, 'dist/apps/launcher/src/main.js')], {
    env: {
      PATH: process.env.PATH,
      DATA_DIR: dataDir,
      PORT: String(port),
      METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
      ...(smtp ? { SMTP_URL: smtp.url } : {}),
      CARNET_ADMIN_EMAIL: EMBEDDED_ADMIN.email,
      CARNET_ADMIN_PASSWORD: EMBEDDED_ADMIN.password,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launcher.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const close = async () => {
    launcher.kill('SIGTERM');
    await exited(launcher);
    await smtp?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const databaseUrl = await until('the embedded database', async () => output.match(/at (postgres:\/\/\S+)/)?.[1], 90_000, 100);
    await until('the API', async () => ((await fetch(`${base}/api/health`).catch(() => undefined))?.status === 200 ? true : undefined), 90_000, 200);
    const call = async <T,>(method: string, path: string, token: string | null, body?: unknown): Promise<T> => {
      const response = await fetch(`${base}/api${path}`, {
        method,
        headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).catch((error: Error) => {
        // The product stopped answering: what it printed last says why.
        throw new Error(`${method} ${path}: ${error.message}\n${output.slice(-3000)}`);
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as T;
    };
    return { base, databaseUrl, smtp, output: () => output, call, close };
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}\n${output.slice(-3000)}`);
  }
}
