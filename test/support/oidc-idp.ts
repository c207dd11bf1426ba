import { ChildProcess, spawn } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface OidcIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Whom the next authorization signs in, with the claims the provider holds for them. */
  signInAs(sub: string, claims: Record<string, unknown>): Promise<void>;
  /**
   * A JWT signed RS256 with the provider's own key (as its logout tokens are), or with a key of
   * nobody's (`key: 'foreign'`): for logout tokens the provider would never send.
   */
  signJwt(claims: Record<string, unknown>, options?: { key?: 'provider' | 'foreign'; typ?: string; alg?: string }): string;
  close(): Promise<void>;
}

export interface OidcIdpOptions {
  /** Where the provider may send the browser after its logout (Carnet's sign-in page). */
  postLogoutRedirectUris?: string[];
  /** Where the provider posts its back-channel logout tokens. */
  backchannelLogoutUri?: string;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** oidc-provider in a child process (test/support/oidc-idp.provider.mjs), for the given redirect URIs. */
export async function startOidcIdp(redirectUris: string[], options: OidcIdpOptions = {}): Promise<OidcIdp> {
  const clientId = 'carnet-test';
  const clientSecret = 'carnet-test-client-secret-0123456789';
  const kid = `test-${randomBytes(6).toString('hex')}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'oidc-idp.provider.mjs')], {
    env: {
      ...process.env,
      CLIENT_ID: clientId,
      CLIENT_SECRET: clientSecret,
      REDIRECT_URIS: redirectUris.join(' '),
      POST_LOGOUT_REDIRECT_URIS: (options.postLogoutRedirectUris ?? []).join(' '),
      BACKCHANNEL_LOGOUT_URI: options.backchannelLogoutUri ?? '',
      JWKS: JSON.stringify({ keys: [jwk] }),
      NODE_ENV: 'test',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (process.env.OIDC_IDP_DEBUG) process.stderr.write(chunk);
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`oidc-idp exited (${code}): ${stderr}`)));
  });
  const keyOf = (which: 'provider' | 'foreign'): KeyObject => (which === 'provider' ? createPrivateKey({ key: jwk, format: 'jwk' }) : foreign);
  return {
    issuer,
    clientId,
    clientSecret,
    async signInAs(sub, claims) {
      const response = await fetch(`${issuer}/test/sign-in-as`, { method: 'POST', body: JSON.stringify({ sub, claims }) });
      if (response.status !== 204) throw new Error(`sign-in-as: ${response.status}`);
    },
    signJwt(claims, { key = 'provider', typ = 'logout+jwt', alg = 'RS256' } = {}) {
      const input = `${base64url(JSON.stringify({ alg, typ, kid }))}.${base64url(JSON.stringify(claims))}`;
      const signature = alg === 'none' ? '' : base64url(sign('sha256', Buffer.from(input), keyOf(key)));
      return `${input}.${signature}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
