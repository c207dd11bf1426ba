import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { actor, Actor, makeUser, PASSWORD } from '../support/actors';
import { OidcIdp, startOidcIdp } from '../support/oidc-idp';
import { startTestApp, TestApp } from '../support/test-app';
import { accessibilityViolations, launchBrowser } from './browser';

/**
 * Signing in through the university, in the browser, against a real OpenID provider
 * (oidc-provider, test/support/oidc-idp.ts): the button on the sign-in page, the provider's
 * login, the first-time link confirmation, landing signed in; signing out through the
 * provider's logout page and back to the sign-in page; then straight in; then the provider
 * down, said in French with the password sign-in still there.
 *
 * Carnet is served at `localhost` and the provider at `127.0.0.1`: two sites, as a university's
 * ENT and Carnet are, so the browser's cookie rules across the redirects are the real ones.
 */
const LABEL = 'Se connecter avec l’ENT de l’Université de Montpellier';
const UNAVAILABLE = 'Le service de connexion de votre université ne répond pas : réessayez plus tard, ou connectez-vous avec votre mot de passe.';
const EMAIL = 'jeanne.blanc@etu.umontpellier.fr';

// A browser journey on a shared two-core machine takes tens of seconds: its own limit, whatever
// the project's default.
jest.setTimeout(120_000);

let app: TestApp;
let idp: OidcIdp;
let browser: Browser;
let base: string;
let admin: Actor;

/** A port nobody listens on once this returns (the address Carnet's public URL must name before it starts). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const oidcSettings = (issuer: string) => ({
  protocol: 'oidc',
  enabled: true,
  issuer,
  clientId: idp.clientId,
  clientSecret: idp.clientSecret,
  emailAttribute: 'email',
  subjectAttribute: 'sub',
  buttonLabel: LABEL,
  internPasswordsAllowed: true,
});
const configure = async (issuer: string) => {
  const response = await app.http.put('/api/admin/university-sign-in').set('Authorization', admin.bearer).send(oidcSettings(issuer));
  expect(response.status).toBe(200);
};

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  idp = await startOidcIdp([`${base}/api/auth/university/dumg/callback`], {
    postLogoutRedirectUris: [`${base}/`],
    backchannelLogoutUri: `http://127.0.0.1:${port}/api/auth/university/dumg/backchannel-logout`,
  });
  app = await startTestApp({ PUBLIC_URL: base, CARNET_SECRET_KEY: randomBytes(32).toString('base64') });
  await app.app.listen(port, '127.0.0.1');
  admin = await actor(app.http, app.dataSource, { roles: ['admin'] });
  await makeUser(app.dataSource, { roles: ['intern'], email: EMAIL, firstName: 'Jeanne', lastName: 'Blanc' });
  await configure(idp.issuer);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await idp?.close();
});

/** Every address the page's frames went through, to see the provider's pages were crossed. */
function visited(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest()) urls.push(request.url());
  });
  return urls;
}

describe('signing in with the university (OpenID Connect) in the browser', () => {
  it('offers the ENT button, goes through the provider, asks once to confirm the link, and lands signed in', async () => {
    await idp.signInAs('sub-jblanc', { email: EMAIL, email_verified: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const navigations = visited(page);
    await page.goto(base);
    const university = page.getByRole('region', { name: 'Avec votre université' });
    const button = university.getByRole('link', { name: LABEL });
    await button.waitFor();
    // The password sign-in is offered beside it (MSU are not university staff).
    await page.getByRole('form', { name: 'Connexion' }).getByLabel('Adresse e-mail').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await button.click();
    // The provider's authorization and login pages, then back to Carnet's confirmation page.
    await page.getByRole('heading', { name: 'Lier votre compte universitaire', level: 1 }).waitFor();
    expect(navigations.some((url) => url.startsWith(`${idp.issuer}/auth`))).toBe(true);
    expect(navigations.some((url) => url.startsWith(`${idp.issuer}/interaction/`))).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/liaison-universitaire');
    const proposal = page.getByRole('region', { name: 'Première connexion par votre université' });
    await proposal.getByText('sub-jblanc').waitFor();
    await proposal.getByText('j•••@etu.umontpellier.fr').waitFor();
    // Not signed in until confirmed.
    expect((await page.request.get(`${base}/api/me`)).status()).toBe(401);
    expect(await accessibilityViolations(page)).toEqual([]);

    await proposal.getByRole('button', { name: 'Confirmer la liaison' }).click();
    await page.getByRole('heading', { name: 'Mes traces', level: 1 }).waitFor();
    await page.getByRole('banner').getByText('Jeanne Blanc').waitFor();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Signing out ends the university's session too: Carnet's is gone at once, then the
    // provider asks to confirm, tells Carnet by its back channel, and sends the browser back.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { name: 'Se déconnecter de l’université ?', level: 1 }).waitFor();
    expect(new URL(page.url()).origin).toBe(idp.issuer);
    expect(navigations.some((url) => url.startsWith(`${idp.issuer}/session/end?`))).toBe(true);
    expect((await page.request.get(`${base}/api/me`)).status()).toBe(401);
    await page.getByRole('button', { name: 'Oui, me déconnecter' }).click();
    await page.getByRole('link', { name: LABEL }).waitFor();
    expect(new URL(page.url()).origin).toBe(base);
    expect(await app.dataSource.query(`SELECT details->>'provider' AS provider FROM audit_log WHERE action = 'auth.university_logout'`)).toEqual([{ provider: 'oidc' }]);

    // In again: the provider asks for the password again (its session ended), the link is made, no confirmation this time.
    await page.getByRole('link', { name: LABEL }).click();
    await page.getByRole('heading', { name: 'Mes traces', level: 1 }).waitFor();
    await page.getByRole('banner').getByText('Jeanne Blanc').waitFor();
    expect(navigations.filter((url) => new URL(url).pathname === '/liaison-universitaire')).toHaveLength(1);
    await context.close();

    const audited = await app.dataSource.query(`SELECT action, count(*)::int AS n FROM audit_log WHERE action IN ('auth.identity_linked', 'auth.university_login') GROUP BY action ORDER BY action`);
    expect(audited).toEqual([
      { action: 'auth.identity_linked', n: 1 },
      { action: 'auth.university_login', n: 2 },
    ]);
  });

  it('says in French that the university does not answer, and still offers the password sign-in, which works', async () => {
    // A provider that does not answer: an address where nothing listens.
    await configure(`http://127.0.0.1:${await freePort()}`);
    try {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(base);
      await page.getByRole('link', { name: LABEL }).click();
      await page.getByRole('alert').getByText(UNAVAILABLE).waitFor();
      expect(new URL(page.url()).searchParams.get('universite')).toBe('indisponible');
      // Nobody signed in; the button to try again and the password form are both there.
      expect((await page.request.get(`${base}/api/me`)).status()).toBe(401);
      await page.getByRole('link', { name: LABEL }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);

      const form = page.getByRole('form', { name: 'Connexion' });
      await form.getByLabel('Adresse e-mail').fill(EMAIL);
      await form.getByLabel('Mot de passe').fill(PASSWORD);
      await form.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByRole('heading', { name: 'Mes traces', level: 1 }).waitFor();
      await page.getByRole('banner').getByRole('button', { name: 'Se déconnecter' }).waitFor();
      expect((await (await page.request.get(`${base}/api/me`)).json()).email).toBe(EMAIL);
      await context.close();
    } finally {
      await configure(idp.issuer);
    }
  });
});
