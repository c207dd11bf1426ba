import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface OidcIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Whom the next authorization signs in, with the claims the provider holds for them. */
  signInAs(sub: string, claims: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

/** oidc-provider in a child process (test/support/oidc-idp.provider.mjs), for the given redirect URIs. */
export async function startOidcIdp(redirectUris: string[]): Promise<OidcIdp> {
  const clientId = 'carnet-test';
  const clientSecret = 'carnet-test-client-secret-0123456789';
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'oidc-idp.provider.mjs')], {
    env: { ...process.env, CLIENT_ID: clientId, CLIENT_SECRET: clientSecret, REDIRECT_URIS: redirectUris.join(' '), NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`oidc-idp exited (${code}): ${stderr}`)));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    async signInAs(sub, claims) {
      const response = await fetch(`${issuer}/test/sign-in-as`, { method: 'POST', body: JSON.stringify({ sub, claims }) });
      if (response.status !== 204) throw new Error(`sign-in-as: ${response.status}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
