import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/**
 * Starts a compiled Carnet process (`npm test` builds dist/ first) with only the environment
 * given, quiet unless told otherwise; `exited` resolves once it is gone.
 */
export function startCarnet(app: 'api' | 'worker', env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, [path.join(root, 'scripts/run.js'), path.join(root, `dist/apps/${app}/src/main.js`)], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', METRICS_PORT: '0', ...env },
    stdio: 'ignore',
  });
}

/**
 * A script for `node -e` that first resolves `@carnet/*` to the build (as scripts/run.js does):
 * for what Jest cannot load in-process, such as PGlite's WebAssembly, loaded by dynamic import.
 */
export const builtScript = (body: string) =>
  `require(${JSON.stringify(path.join(root, 'node_modules/tsconfig-paths'))}).register({ baseUrl: ${JSON.stringify(path.join(root, 'dist'))}, paths: { '@carnet/*': ['libs/*/src'] } });
${body}`;

export const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));

/** Polls `probe` until it gives a value. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
