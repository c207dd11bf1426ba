import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response as SupertestResponse } from 'supertest';
import { actor, Actor, login, makeUser, PASSWORD } from '../support/actors';
import { CasAccount, CasServer, startCasServer } from '../support/cas-server';
import { OidcIdp, startOidcIdp } from '../support/oidc-idp';
import { startTestApp, TestApp } from '../support/test-app';

// Sign-in through the university against real protocol servers: a CAS 3.0 server and
// oidc-provider, the browser's redirects followed by hand.
const PUBLIC_URL = 'http://carnet.test';
const CALLBACK = `${PUBLIC_URL}/api/auth/university/dumg/callback`;
const LABEL = 'Se connecter avec l’ENT de l’Université de Montpellier';

type Jar = Map<string, string>;

function keep(jar: Jar, setCookies: string[] | undefined): void {
  for (const line of setCookies ?? []) {
    const [pair, ...attributes] = line.split(';');
    const name = pair.slice(0, pair.indexOf('='));
    const value = pair.slice(pair.indexOf('=') + 1);
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
    if (!value || expired) jar.delete(name);
    else jar.set(name, value);
  }
}
const header = (jar: Jar) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');

/** A browser: Carnet's cookies and the provider's, apart, as a browser keeps them per site. */
class Browser {
  readonly carnet: Jar = new Map();
  readonly provider: Jar = new Map();
  constructor(private readonly app: TestApp) {}

  async get(pathOrUrl: string): Promise<SupertestResponse> {
    const path = pathOrUrl.startsWith(PUBLIC_URL) ? pathOrUrl.slice(PUBLIC_URL.length) : pathOrUrl;
    const response = await this.app.http.get(path).set('Cookie', header(this.carnet)).redirects(0);
    keep(this.carnet, response.headers['set-cookie'] as unknown as string[] | undefined);
    return response;
  }

  async post(path: string, body: object): Promise<SupertestResponse> {
    const response = await this.app.http.post(path).set('Cookie', header(this.carnet)).send(body);
    keep(this.carnet, response.headers['set-cookie'] as unknown as string[] | undefined);
    return response;
  }

  /** Follows the provider's redirects until one leads back to Carnet; returns that address. */
  async throughProvider(url: string): Promise<string> {
    let location = url;
    for (let hop = 0; hop < 10; hop++) {
      if (location.startsWith(PUBLIC_URL)) return location;
      const response = await fetch(location, { redirect: 'manual', headers: { cookie: header(this.provider) } });
      keep(this.provider, response.headers.getSetCookie());
      const next = response.headers.get('location');
      if (!next) throw new Error(`provider answered ${response.status}: ${await response.text()}`);
      location = new URL(next, location).toString();
    }
    throw new Error('too many redirects at the provider');
  }

  async me(): Promise<SupertestResponse> {
    return this.app.http.get('/api/me').set('Cookie', header(this.carnet));
  }

  /** The web app's sign-out: the CSRF token from /api/me, then the logout asking for where to go next. */
  async signOut(prefer = 'return=representation'): Promise<SupertestResponse> {
    const csrf = (await this.me()).body.csrfToken as string;
    const response = await this.app.http.post('/api/auth/logout').set('Cookie', header(this.carnet)).set('X-CSRF-Token', csrf).set('Prefer', prefer).send({});
    keep(this.carnet, response.headers['set-cookie'] as unknown as string[] | undefined);
    return response;
  }

  /** At the provider's logout page: its form confirmed (« yes »), as a person clicking it would. */
  async confirmProviderLogout(page: string): Promise<Response> {
    const form = await fetch(page, { redirect: 'manual', headers: { cookie: header(this.provider) } });
    keep(this.provider, form.headers.getSetCookie());
    const html = await form.text();
    expect(form.status).toBe(200);
    expect(html).toContain('Se déconnecter de l’université ?');
    const action = html.match(/<form[^>]*action="([^"]+)"/)![1];
    const xsrf = html.match(/name="xsrf" value="([^"]+)"/)![1];
    const confirmed = await fetch(new URL(action, page), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: header(this.provider), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
    });
    keep(this.provider, confirmed.headers.getSetCookie());
    return confirmed;
  }
}

/** Where the provider posts its back-channel logout tokens: handed to the app, each kept with Carnet's answer. */
interface Relay {
  url: string;
  received: { token: string; status: number }[];
  close(): Promise<void>;
}

async function startRelay(app: () => TestApp): Promise<Relay> {
  const received: Relay['received'] = [];
  const server = http.createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const answer = await app().http.post(request.url!).set('Content-Type', request.headers['content-type'] ?? '').send(body);
    received.push({ token: new URLSearchParams(body).get('logout_token') ?? '', status: answer.status });
    response.writeHead(answer.status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('university sign-in (CAS 3.0 and OpenID Connect)', () => {
  let app: TestApp;
  let cas: CasServer;
  let idp: OidcIdp;
  let admin: Actor;
  let relay: Relay;

  beforeAll(async () => {
    // CAS's single logout reaches the app as CAS would post it to the service address.
    const deliver = async (service: string, body: URLSearchParams) =>
      (await app.http.post(service.slice(PUBLIC_URL.length)).type('form').send(body.toString())).status;
    cas = await startCasServer({ deliver });
    relay = await startRelay(() => app);
    idp = await startOidcIdp([CALLBACK], { postLogoutRedirectUris: [`${PUBLIC_URL}/`], backchannelLogoutUri: `${relay.url}/api/auth/university/dumg/backchannel-logout` });
    app = await startTestApp({ PUBLIC_URL, CARNET_SECRET_KEY: randomBytes(32).toString('base64') });
    admin = await actor(app.http, app.dataSource, { roles: ['admin'] });
  });
  afterAll(async () => {
    await app?.close();
    await cas?.close();
    await idp?.close();
    await relay?.close();
  });

  const casSettings = () => ({
    protocol: 'cas',
    enabled: true,
    casUrl: cas.url,
    emailAttribute: 'mail',
    subjectAttribute: 'user',
    buttonLabel: LABEL,
    internPasswordsAllowed: true,
  });
  const oidcSettings = () => ({
    protocol: 'oidc',
    enabled: true,
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    emailAttribute: 'email',
    subjectAttribute: 'sub',
    buttonLabel: LABEL,
    internPasswordsAllowed: true,
  });
  const configure = (settings: object) => app.http.put('/api/admin/university-sign-in').set('Authorization', admin.bearer).send(settings);
  const actions = async (action: string) =>
    (await app.dataSource.query(`SELECT details FROM audit_log WHERE action = $1 ORDER BY id`, [action])) as { details: Record<string, unknown> }[];

  /** Carnet's login, the CAS login page (signing in whoever the server was told), back to Carnet. */
  async function casSignIn(browser: Browser, account: CasAccount): Promise<{ callback: string; response: SupertestResponse }> {
    cas.signInAs(account);
    const start = await browser.get('/api/auth/university/dumg/login?returnTo=/traces');
    expect(start.status).toBe(302);
    expect(start.headers.location).toBe(`${cas.url}/login?service=${encodeURIComponent(CALLBACK)}`);
    const callback = await browser.throughProvider(start.headers.location);
    expect(callback).toMatch(new RegExp(`^${CALLBACK}\\?ticket=ST-`));
    return { callback, response: await browser.get(callback) };
  }

  async function oidcCallback(browser: Browser, sub: string, claims: Record<string, unknown>): Promise<string> {
    await idp.signInAs(sub, claims);
    const start = await browser.get('/api/auth/university/dumg/login?returnTo=/traces');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.location);
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    return browser.throughProvider(start.headers.location);
  }

  /** The link page's two calls: what it shows, then the confirmation. */
  async function confirmLink(browser: Browser, location: string, expected: { subject: string; maskedEmail: string }) {
    const token = new URL(location, PUBLIC_URL).searchParams.get('jeton')!;
    const preview = await browser.post('/api/auth/university/link/preview', { token });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ ...expected, facultyName: 'DUMG' });
    const confirmed = await browser.post('/api/auth/university/link/confirm', { token });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.returnTo).toBe('/traces');
    return { token, confirmed };
  }

  describe('settings', () => {
    it('are the faculty admin’s: others get 403, bad addresses 422, and nothing is offered until enabled', async () => {
      expect((await app.http.get('/api/auth/university')).body).toEqual({ providers: [] });
      const intern = await actor(app.http, app.dataSource, { roles: ['intern'] });
      const refused = await app.http.put('/api/admin/university-sign-in').set('Authorization', intern.bearer).send(casSettings());
      expect(refused.status).toBe(403);
      expect((await app.http.get('/api/admin/university-sign-in').set('Authorization', intern.bearer)).status).toBe(403);

      const bad = await configure({ ...casSettings(), casUrl: 'javascript:alert(1)' });
      expect(bad.status).toBe(422);
      expect(bad.body.errors).toEqual([{ path: 'casUrl', message: 'doit commencer par https://' }]);
      const missing = await configure({ ...oidcSettings(), issuer: null, clientId: null });
      expect(missing.status).toBe(422);
      expect(missing.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['clientId', 'issuer']);

      const saved = await configure(casSettings());
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ faculty: { code: 'dumg', name: 'DUMG' }, protocol: 'cas', enabled: true, casUrl: cas.url, callbackUrl: CALLBACK, clientSecretSet: false });
      expect((await app.http.get('/api/auth/university')).body).toEqual({
        providers: [{ faculty: 'dumg', facultyName: 'DUMG', protocol: 'cas', label: LABEL, loginUrl: '/api/auth/university/dumg/login', internPasswordsAllowed: true }],
      });
      expect(await actions('admin.university_sign_in_updated')).toHaveLength(1);
    });
  });

  describe('CAS 3.0', () => {
    beforeAll(async () => {
      expect((await configure(casSettings())).status).toBe(200);
    });

    it('links on first sign-in after confirmation, then signs in directly', async () => {
      const intern = await makeUser(app.dataSource, { roles: ['intern'], email: 'claire.fabre@etu.univ.fr' });
      const account = { user: 'cfabre', attributes: { mail: 'Claire.FABRE@etu.univ.fr', eduPersonAffiliation: ['student', 'member'] } };

      const browser = new Browser(app);
      const first = await casSignIn(browser, account);
      expect(first.response.status).toBe(302);
      expect(first.response.headers.location).toMatch(/^\/liaison-universitaire\?jeton=[\w-]{43}$/);
      expect(browser.carnet.has('session')).toBe(false);
      expect((await browser.me()).status).toBe(401);

      const { token } = await confirmLink(browser, first.response.headers.location, { subject: 'cfabre', maskedEmail: 'c•••@etu.univ.fr' });
      const me = await browser.me();
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(intern.id);

      // The link token works once.
      const again = await browser.post('/api/auth/university/link/confirm', { token });
      expect(again.status).toBe(400);
      expect(again.body.detail).toBe('Ce lien de liaison n’est plus valable : reconnectez-vous avec votre université.');

      const later = new Browser(app);
      const second = await casSignIn(later, account);
      expect(second.response.status).toBe(302);
      expect(second.response.headers.location).toBe('/traces');
      expect((await later.me()).body.id).toBe(intern.id);

      expect((await actions('auth.identity_linked')).map((a) => a.details)).toEqual([{ faculty: 'dumg', provider: 'cas', subject: 'cfabre' }]);
      expect((await actions('auth.university_login')).length).toBe(2);
    });

    it('refuses a replayed ticket, a ticket for another service, an expired ticket, and a callback without the browser’s flow', async () => {
      await makeUser(app.dataSource, { roles: ['intern'], email: 'paul.roux@etu.univ.fr' });
      const account = { user: 'proux', attributes: { mail: 'paul.roux@etu.univ.fr' } };
      const first = await casSignIn(new Browser(app), account);
      expect(first.response.headers.location).toMatch(/^\/liaison-universitaire/);

      // The same ticket, from a browser with a sign-in of its own in progress.
      const replay = new Browser(app);
      expect((await replay.get('/api/auth/university/dumg/login')).status).toBe(302);
      const replayed = await replay.get(first.callback);
      expect(replayed.headers.location).toBe('/?universite=echec');
      expect(replay.carnet.has('session')).toBe(false);

      const other = new Browser(app);
      await other.get('/api/auth/university/dumg/login');
      const foreignTicket = cas.issueTicket('http://autre-service.test/callback', account);
      const foreign = await other.get(`${CALLBACK}?ticket=${foreignTicket}`);
      expect(foreign.headers.location).toBe('/?universite=echec');
      expect(other.carnet.has('session')).toBe(false);

      const late = new Browser(app);
      await late.get('/api/auth/university/dumg/login');
      const expired = await late.get(`${CALLBACK}?ticket=${cas.issueTicket(CALLBACK, account, { expired: true })}`);
      expect(expired.headers.location).toBe('/?universite=echec');
      expect(late.carnet.has('session')).toBe(false);

      // A ticket sent to someone else's browser (login CSRF): no flow of theirs, refused unvalidated.
      const validations = cas.validations;
      const victim = new Browser(app);
      const planted = await victim.get(`${CALLBACK}?ticket=${cas.issueTicket(CALLBACK, account)}`);
      expect(planted.headers.location).toBe('/?universite=expiree');
      expect(cas.validations).toBe(validations);

      const failures = (await actions('auth.university_login_failed')).map((a) => a.details);
      expect(failures).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'echec', casCode: 'INVALID_TICKET' }), expect.objectContaining({ reason: 'echec', casCode: 'INVALID_SERVICE' })]));
    });

    it('sends an unknown e-mail back to the login page, and refuses a deactivated account', async () => {
      const unknown = await casSignIn(new Browser(app), { user: 'inconnu', attributes: { mail: 'personne@etu.univ.fr' } });
      expect(unknown.response.headers.location).toBe('/?universite=aucun-compte');

      const user = await makeUser(app.dataSource, { roles: ['intern'], email: 'lea.martin@etu.univ.fr' });
      const account = { user: 'lmartin', attributes: { mail: 'lea.martin@etu.univ.fr' } };
      const browser = new Browser(app);
      const first = await casSignIn(browser, account);
      await confirmLink(browser, first.response.headers.location, { subject: 'lmartin', maskedEmail: 'l•••@etu.univ.fr' });
      await app.dataSource.query(`UPDATE app_user SET active = false WHERE id = $1`, [user.id]);

      const after = new Browser(app);
      const refused = await casSignIn(after, account);
      expect(refused.response.headers.location).toBe('/?universite=compte-desactive');
      expect(after.carnet.has('session')).toBe(false);

      // Nor by confirming a link proposed before the deactivation.
      await app.dataSource.query(`UPDATE app_user SET active = true WHERE id = $1`, [user.id]);
      await app.dataSource.query(`DELETE FROM user_identity WHERE user_id = $1`, [user.id]);
      const pending = new Browser(app);
      const proposed = await casSignIn(pending, account);
      await app.dataSource.query(`UPDATE app_user SET active = false WHERE id = $1`, [user.id]);
      const token = new URL(proposed.response.headers.location, PUBLIC_URL).searchParams.get('jeton')!;
      const confirm = await pending.post('/api/auth/university/link/confirm', { token });
      expect(confirm.status).toBe(403);
      expect(confirm.body.detail).toBe('Ce compte Carnet est désactivé : adressez-vous à votre DUMG.');
      expect(pending.carnet.has('session')).toBe(false);
    });

    it('says the university is unavailable when its CAS server does not answer the validation', async () => {
      const down = await startCasServer();
      try {
        expect((await configure({ ...casSettings(), casUrl: down.url })).status).toBe(200);
        down.signInAs({ user: 'cfabre', attributes: { mail: 'claire.fabre@etu.univ.fr' } });
        const browser = new Browser(app);
        const start = await browser.get('/api/auth/university/dumg/login');
        const callback = await browser.throughProvider(start.headers.location);
        await down.close();
        expect((await browser.get(callback)).headers.location).toBe('/?universite=indisponible');
        expect(browser.carnet.has('session')).toBe(false);
      } finally {
        await down.close().catch(() => undefined);
        expect((await configure(casSettings())).status).toBe(200);
      }
    });
  });

  describe('local passwords', () => {
    afterAll(async () => {
      expect((await configure(casSettings())).status).toBe(200);
    });

    it('are refused to interns once the faculty turns them off, and kept for MSU', async () => {
      const intern = await makeUser(app.dataSource, { roles: ['intern'] });
      const tutor = await makeUser(app.dataSource, { roles: ['tutor'] });
      const passwordLogin = (email: string) => app.http.post('/api/auth/login').send({ email, password: PASSWORD });
      expect((await passwordLogin(intern.email)).status).toBe(200);

      expect((await configure({ ...casSettings(), internPasswordsAllowed: false })).status).toBe(200);
      const refused = await passwordLogin(intern.email);
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toBe('Les internes se connectent avec leur compte universitaire : utilisez le bouton de votre université.');
      expect(refused.headers['set-cookie']).toBeUndefined();
      expect((await passwordLogin(tutor.email)).status).toBe(200);

      // Turned off only while the university sign-in itself is on.
      expect((await configure({ ...casSettings(), enabled: false, internPasswordsAllowed: false })).status).toBe(200);
      expect((await passwordLogin(intern.email)).status).toBe(200);
    });
  });

  describe('OpenID Connect', () => {
    beforeAll(async () => {
      expect((await configure(oidcSettings())).status).toBe(200);
    });

    it('never returns the client secret, and stores it encrypted', async () => {
      const view = await app.http.get('/api/admin/university-sign-in').set('Authorization', admin.bearer);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ protocol: 'oidc', issuer: idp.issuer, clientId: idp.clientId, clientSecretSet: true });
      expect(view.body).not.toHaveProperty('clientSecret');
      expect(view.text).not.toContain(idp.clientSecret);
      const [row] = await app.dataSource.query(`SELECT client_secret FROM university_sign_in`);
      expect(Buffer.isBuffer(row.client_secret)).toBe(true);
      expect(row.client_secret.includes(Buffer.from(idp.clientSecret))).toBe(false);
      const audited = JSON.stringify(await actions('admin.university_sign_in_updated'));
      expect(audited).not.toContain(idp.clientSecret);
    });

    it('links on first sign-in (PKCE, state, nonce) after confirmation, then signs in directly', async () => {
      const intern = await makeUser(app.dataSource, { roles: ['intern'], email: 'jeanne.blanc@etu.univ.fr' });
      const claims = { email: 'jeanne.blanc@etu.univ.fr', email_verified: true };
      const browser = new Browser(app);
      const callback = await oidcCallback(browser, 'sub-jblanc', claims);
      const first = await browser.get(callback);
      expect(first.status).toBe(302);
      expect(first.headers.location).toMatch(/^\/liaison-universitaire\?jeton=/);
      await confirmLink(browser, first.headers.location, { subject: 'sub-jblanc', maskedEmail: 'j•••@etu.univ.fr' });
      expect((await browser.me()).body.id).toBe(intern.id);

      const later = new Browser(app);
      const second = await later.get(await oidcCallback(later, 'sub-jblanc', claims));
      expect(second.headers.location).toBe('/traces');
      expect((await later.me()).body.id).toBe(intern.id);
    });

    it('says the university is unavailable when its provider does not answer', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      try {
        expect((await configure({ ...oidcSettings(), issuer: `http://127.0.0.1:${port}` })).status).toBe(200);
        const browser = new Browser(app);
        const start = await browser.get('/api/auth/university/dumg/login');
        expect(start.status).toBe(302);
        expect(start.headers.location).toBe('/?universite=indisponible');
        expect((await actions('auth.university_login_failed')).at(-1)?.details).toMatchObject({ provider: 'oidc', reason: 'indisponible' });
      } finally {
        expect((await configure(oidcSettings())).status).toBe(200);
      }
    });

    it('refuses a forged state, another browser’s state, a code without its PKCE verifier, and an unverified e-mail', async () => {
      await makeUser(app.dataSource, { roles: ['intern'], email: 'hugo.petit@etu.univ.fr' });
      const claims = { email: 'hugo.petit@etu.univ.fr', email_verified: true };

      const forger = new Browser(app);
      const forged = new URL(await oidcCallback(forger, 'sub-hpetit', claims));
      forged.searchParams.set('state', 'etat-fabrique');
      expect((await forger.get(forged.toString())).headers.location).toBe('/?universite=echec');
      expect(forger.carnet.has('session')).toBe(false);

      // Browser B's answer (its code and state) presented by browser A, with A's own flow.
      const a = new Browser(app);
      await oidcCallback(a, 'sub-hpetit', claims);
      const b = new Browser(app);
      const theirs = await oidcCallback(b, 'sub-hpetit', claims);
      expect((await a.get(theirs)).headers.location).toBe('/?universite=echec');
      expect(a.carnet.has('session')).toBe(false);

      // A stolen code: Carnet without the flow (where the verifier lives) refuses it, and so does
      // the provider's token endpoint when asked without the verifier.
      const c = new Browser(app);
      const stolen = await oidcCallback(c, 'sub-hpetit', claims);
      expect((await new Browser(app).get(stolen)).headers.location).toBe('/?universite=expiree');
      const token = await fetch(`${idp.issuer}/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${idp.clientId}:${idp.clientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: new URL(stolen).searchParams.get('code')!, redirect_uri: CALLBACK }),
      });
      expect(token.status).toBe(400);
      expect((await token.json()).error).toBe('invalid_grant');

      const unverified = new Browser(app);
      const answer = await unverified.get(await oidcCallback(unverified, 'sub-hpetit-2', { email: 'hugo.petit@etu.univ.fr', email_verified: false }));
      expect(answer.headers.location).toBe('/?universite=email-non-verifie');
      expect(unverified.carnet.has('session')).toBe(false);
    });
  });
  describe('faculties', () => {
    it('keeps identities to their faculty: a link in one faculty does not sign in through another’s provider', async () => {
      const [autre] = await app.dataSource.query(`INSERT INTO faculty (code, name) VALUES ('autre', 'DUMG voisin') RETURNING id`);
      await app.dataSource.query(
        `INSERT INTO university_sign_in (faculty_id, protocol, enabled, cas_url, email_attribute, subject_attribute, button_label)
         VALUES ($1, 'cas', true, $2, 'mail', 'user', 'Se connecter avec l’ENT de l’université voisine')`,
        [autre.id, cas.url],
      );
      expect((await app.http.get('/api/auth/university')).body.providers.map((p: { faculty: string }) => p.faculty).sort()).toEqual(['autre', 'dumg']);

      // cfabre is linked in the default faculty (CAS, above); the other faculty's university
      // vouches only for the other faculty's members: she is none, so nobody is signed in.
      const account = { user: 'cfabre', attributes: { mail: 'claire.fabre@etu.univ.fr' } };
      cas.signInAs(account);
      const stranger = new Browser(app);
      const start = await stranger.get('/api/auth/university/autre/login');
      expect(start.headers.location).toBe(`${cas.url}/login?service=${encodeURIComponent(`${PUBLIC_URL}/api/auth/university/autre/callback`)}`);
      expect((await stranger.get(await stranger.throughProvider(start.headers.location))).headers.location).toBe('/?universite=aucun-compte');
      expect(stranger.carnet.has('session')).toBe(false);

      // Once a member there too (the same person, her row of that faculty), the link proposed is
      // to that row, never to her row of the default faculty.
      const [mine] = await app.dataSource.query(
        `INSERT INTO app_user (email, last_name, first_name, roles, promotion, faculty_id) VALUES ('claire.fabre@etu.univ.fr', 'Fabre', 'Claire', '{intern}', 2025, $1) RETURNING id`,
        [autre.id],
      );
      const browser = new Browser(app);
      const again = await browser.get('/api/auth/university/autre/login');
      const answer = await browser.get(await browser.throughProvider(again.headers.location));
      expect(answer.headers.location).toMatch(/^\/liaison-universitaire\?jeton=/);
      expect(browser.carnet.has('session')).toBe(false);
      expect(await app.dataSource.query(`SELECT user_id FROM identity_link_proposal WHERE faculty_id = $1`, [autre.id])).toEqual([{ user_id: mine.id }]);

      // Confirmed, she works in the other faculty, signed in by its university. That university
      // vouches for her row there only: her session does not open her row of the default faculty.
      // (Else the admin of one faculty, who sets its provider, could have it assert anyone's
      // address, make a row with it, and through the switcher reach that person's rows in every
      // faculty: another faculty's admin account, say.)
      const token = new URL(answer.headers.location, PUBLIC_URL).searchParams.get('jeton')!;
      expect((await browser.post('/api/auth/university/link/confirm', { token })).status).toBe(200);
      const me = await browser.get('/api/me');
      expect(me.body.faculty).toMatchObject({ code: 'autre' });
      const [dumg] = await app.dataSource.query(`SELECT id FROM faculty WHERE code = 'dumg'`);
      const switched = await app.http.post('/api/session/faculty').set('Cookie', header(browser.carnet)).set('X-CSRF-Token', me.body.csrfToken).send({ facultyId: dumg.id });
      expect(switched.status).toBe(403);
      expect(switched.body.detail).toMatch(/^Vous êtes connecté\(e\) par l’ENT de DUMG voisin/);
      expect((await browser.get('/api/me')).body.faculty).toMatchObject({ code: 'autre' });

      // A ticket the CAS server issued for the default faculty's service is no good at the other's.
      const other = new Browser(app);
      await other.get('/api/auth/university/autre/login');
      const crossed = await other.get(`${PUBLIC_URL}/api/auth/university/autre/callback?ticket=${cas.issueTicket(CALLBACK, account)}`);
      expect(crossed.headers.location).toBe('/?universite=echec');
      expect(other.carnet.has('session')).toBe(false);
    });
  });

  describe('single logout', () => {
    const BCL = 'http://schemas.openid.net/event/backchannel-logout';
    let voisine: { id: string };
    let dumg: string;
    /** Other faculties exist by now: a person is made a member of the default one. */
    const memberOfDumg = (email: string) => makeUser(app.dataSource, { roles: ['intern'], email, facultyId: dumg });

    beforeAll(async () => {
      [{ id: dumg }] = await app.dataSource.query(`SELECT id FROM faculty WHERE code = 'dumg'`);
      // A neighbouring faculty whose university runs the same CAS server and the same OpenID provider.
      [voisine] = await app.dataSource.query(`INSERT INTO faculty (code, name) VALUES ('voisine', 'DUMG de la voisine') RETURNING id`);
      await app.dataSource.query(
        `INSERT INTO university_sign_in (faculty_id, protocol, enabled, cas_url, email_attribute, subject_attribute, button_label)
         VALUES ($1, 'cas', true, $2, 'mail', 'user', 'ENT voisin')`,
        [voisine.id, cas.url],
      );
    });

    const sessionOf = async (userId: string) =>
      (await app.dataSource.query(
        `SELECT id, university_faculty_id, university_protocol, university_sub, university_sid, university_ticket_hash, university_id_token, expires_at - created_at AS lifetime
           FROM session WHERE user_id = $1 ORDER BY created_at`,
        [userId],
      )) as { id: string; university_faculty_id: string | null; university_protocol: string | null; university_sub: string | null; university_sid: string | null; university_ticket_hash: Buffer | null; university_id_token: Buffer | null }[];

    /** A linked OpenID sign-in, in a browser of its own (and a provider session of its own). */
    async function oidcSignedIn(sub: string, email: string): Promise<{ browser: Browser; user: { id: string } }> {
      const user = await memberOfDumg(email);
      const browser = new Browser(app);
      const first = await browser.get(await oidcCallback(browser, sub, { email, email_verified: true }));
      await confirmLink(browser, first.headers.location, { subject: sub, maskedEmail: `${email[0]}•••@${email.split('@')[1]}` });
      expect((await browser.me()).body.id).toBe(user.id);
      return { browser, user };
    }

    describe('OpenID Connect', () => {
      beforeAll(async () => {
        expect((await configure(oidcSettings())).status).toBe(200);
      });

      it('signs out locally first, then gives the provider’s end-session address, whose logout brings the browser back to the sign-in page', async () => {
        const { browser, user } = await oidcSignedIn('sub-slo-1', 'anne.slo@etu.univ.fr');
        const [session] = await sessionOf(user.id);
        expect(session).toMatchObject({ university_protocol: 'oidc', university_sub: 'sub-slo-1' });
        expect(session.university_sid).toEqual(expect.any(String));
        // The ID token is kept sealed, never in clear.
        expect(Buffer.isBuffer(session.university_id_token)).toBe(true);
        expect(session.university_id_token!.includes(Buffer.from('eyJ'))).toBe(false);

        const token = browser.carnet.get('session')!;
        const out = await browser.signOut();
        expect(out.status).toBe(200);
        expect(out.headers['preference-applied']).toBe('return=representation');
        const logoutUrl = new URL(out.body.logoutUrl);
        expect(`${logoutUrl.origin}${logoutUrl.pathname}`).toBe(`${idp.issuer}/session/end`);
        expect(logoutUrl.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_URL}/`);
        const state = logoutUrl.searchParams.get('state');
        expect(state).toMatch(/^[\w-]{43}$/);
        const hint = JSON.parse(Buffer.from(logoutUrl.searchParams.get('id_token_hint')!.split('.')[1], 'base64url').toString());
        expect(hint).toMatchObject({ iss: idp.issuer, aud: idp.clientId, sub: 'sub-slo-1', sid: session.university_sid });
        // Gone here before the browser goes anywhere.
        expect(browser.carnet.has('session')).toBe(false);
        expect((await app.http.get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(401);
        expect((await app.dataSource.query(`SELECT revoked_at IS NOT NULL AS revoked FROM session WHERE id = $1`, [session.id]))[0].revoked).toBe(true);

        // At the provider: its confirmation page, then back to Carnet's sign-in page with the state.
        const confirmed = await browser.confirmProviderLogout(logoutUrl.toString());
        expect(confirmed.status).toBe(303);
        const back = new URL(confirmed.headers.get('location')!);
        expect(`${back.origin}${back.pathname}`).toBe(`${PUBLIC_URL}/`);
        expect(back.searchParams.get('state')).toBe(state);
        // The provider told Carnet by its back channel as well; nothing was left to end.
        expect(relay.received.at(-1)?.status).toBe(200);
      });

      it('keeps the 204 without the preference, and gives no address for a password session', async () => {
        const { browser } = await oidcSignedIn('sub-slo-2', 'bruno.slo@etu.univ.fr');
        const out = await browser.signOut('');
        expect(out.status).toBe(204);
        expect(out.text).toBe('');
        expect((await browser.me()).status).toBe(401);

        const tutor = await actor(app.http, app.dataSource, { roles: ['tutor'], facultyId: dumg });
        const password = await app.http.post('/api/auth/logout').set('Authorization', tutor.bearer).set('Prefer', 'return=representation');
        expect(password.status).toBe(200);
        expect(password.body).toEqual({ logoutUrl: null });
        expect((await app.http.get('/api/me').set('Authorization', tutor.bearer)).status).toBe(401);
      });

      it('signs out locally when the provider does not answer, with no address to go to', async () => {
        const { browser, user } = await oidcSignedIn('sub-slo-3', 'chloe.slo@etu.univ.fr');
        const closed = http.createServer();
        await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
        const port = (closed.address() as AddressInfo).port;
        await new Promise<void>((resolve) => closed.close(() => resolve()));
        try {
          expect((await configure({ ...oidcSettings(), issuer: `http://127.0.0.1:${port}` })).status).toBe(200);
          const out = await browser.signOut();
          expect(out.status).toBe(200);
          expect(out.body).toEqual({ logoutUrl: null });
          expect((await browser.me()).status).toBe(401);
          expect((await app.dataSource.query(`SELECT count(*)::int AS live FROM session WHERE user_id = $1 AND revoked_at IS NULL`, [user.id]))[0].live).toBe(0);
        } finally {
          expect((await configure(oidcSettings())).status).toBe(200);
        }
      });

      it('ends, on the provider’s back-channel logout, exactly the session it opened: not another person’s, not a password session', async () => {
        const a = await oidcSignedIn('sub-slo-4', 'denis.slo@etu.univ.fr');
        const b = await oidcSignedIn('sub-slo-5', 'emma.slo@etu.univ.fr');
        const password = await login(app.http, 'denis.slo@etu.univ.fr');
        const [aSession] = await sessionOf(a.user.id);
        const before = relay.received.length;

        // Denis signs out at the university (another of its services): no hint, the provider asks, then tells Carnet.
        const confirmed = await a.browser.confirmProviderLogout(`${idp.issuer}/session/end`);
        expect(confirmed.status).toBe(303);
        expect(relay.received.slice(before).map((r) => r.status)).toEqual([200]);
        expect((await a.browser.me()).status).toBe(401);
        expect((await b.browser.me()).status).toBe(200);
        expect((await app.http.get('/api/me').set('Authorization', `Bearer ${password}`)).status).toBe(200);
        const [audited] = (await actions('auth.university_logout')).slice(-1);
        expect(audited.details).toMatchObject({ faculty: 'dumg', provider: 'oidc', sub: 'sub-slo-4', sid: aSession.university_sid, sessions: [aSession.id] });

        // The same token again: refused, nothing changes.
        const replayed = await app.http.post('/api/auth/university/dumg/backchannel-logout').type('form').send({ logout_token: relay.received.at(-1)!.token });
        expect(replayed.status).toBe(400);
        expect((await b.browser.me()).status).toBe(200);
      });

      it('refuses forged, foreign, stale and replayed logout tokens with 400, and changes nothing', async () => {
        const { browser, user } = await oidcSignedIn('sub-slo-6', 'fanny.slo@etu.univ.fr');
        const [session] = await sessionOf(user.id);
        const now = Math.floor(Date.now() / 1000);
        const claims = (extra: Record<string, unknown> = {}) => ({
          iss: idp.issuer, aud: idp.clientId, iat: now, exp: now + 120, jti: randomBytes(12).toString('hex'),
          events: { [BCL]: {} }, sub: 'sub-slo-6', sid: session.university_sid, ...extra,
        });
        const post = (token: unknown, faculty = 'dumg') => app.http.post(`/api/auth/university/${faculty}/backchannel-logout`).type('form').send(token === undefined ? {} : { logout_token: token });
        const { sid: _sid, ...withoutSid } = claims();
        const { sub: _sub, ...onlySid } = claims();
        const forged = {
          'another key': idp.signJwt(claims(), { key: 'foreign' }),
          'unsigned': idp.signJwt(claims(), { alg: 'none' }),
          'another audience': idp.signJwt(claims({ aud: 'un-autre-client' })),
          'another issuer': idp.signJwt(claims({ iss: 'http://127.0.0.1:1' })),
          'no event': idp.signJwt(claims({ events: undefined })),
          'another event': idp.signJwt(claims({ events: { 'http://schemas.openid.net/event/other': {} } })),
          'a nonce (an ID token)': idp.signJwt(claims({ nonce: 'n-0S6_WzA2Mj' })),
          'issued an hour ago': idp.signJwt(claims({ iat: now - 3600, exp: now + 60 })),
          'expired': idp.signJwt(claims({ iat: now - 200, exp: now - 100 })),
          'no jti': idp.signJwt(claims({ jti: undefined })),
          'neither sid nor sub': idp.signJwt({ ...withoutSid, sub: undefined }),
          'not a JWT': 'pas-un-jeton',
          'no token': undefined,
        };
        for (const [name, token] of Object.entries(forged)) {
          const response = await post(token);
          expect({ name, status: response.status }).toEqual({ name, status: 400 });
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        }
        // Sent to a faculty whose university is CAS, or to one that does not exist.
        expect((await post(idp.signJwt(claims()), 'voisine')).status).toBe(400);
        expect((await post(idp.signJwt(claims()), 'nulle-part')).status).toBe(400);
        // A JSON body is no form: the logout token must come as the specification sends it.
        expect((await app.http.post('/api/auth/university/dumg/backchannel-logout').send({ logout_token: 'x' })).status).toBe(400);
        // Elsewhere, a form body is refused outright (no sign-in CSRF by a form of another site).
        expect((await app.http.post('/api/auth/login').type('form').send({ email: 'fanny.slo@etu.univ.fr', password: PASSWORD })).status).toBe(415);
        expect((await browser.me()).status).toBe(200);

        // The genuine article, naming the session by sid only: ended; played again: refused.
        const genuine = idp.signJwt(onlySid);
        expect((await post(genuine)).status).toBe(200);
        expect((await browser.me()).status).toBe(401);
        expect((await post(genuine)).status).toBe(400);
      });
    });

    describe('CAS', () => {
      beforeAll(async () => {
        expect((await configure(casSettings())).status).toBe(200);
      });

      const ticketOf = (callback: string) => new URL(callback).searchParams.get('ticket')!;
      const sloPost = (faculty: string, logoutRequest: string) => app.http.post(`/api/auth/university/${faculty}/callback`).type('form').send({ logoutRequest });

      it('signs out at CAS too: its /logout, which posts the single logout back for the ticket', async () => {
        const user = await memberOfDumg('gael.slo@etu.univ.fr');
        const account = { user: 'gslo', attributes: { mail: 'gael.slo@etu.univ.fr' } };
        const browser = new Browser(app);
        const first = await casSignIn(browser, account);
        await confirmLink(browser, first.response.headers.location, { subject: 'gslo', maskedEmail: 'g•••@etu.univ.fr' });
        const [session] = await sessionOf(user.id);
        expect(session.university_protocol).toBe('cas');
        expect(session.university_ticket_hash).toEqual(createHash('sha256').update(ticketOf(first.callback)).digest());

        const out = await browser.signOut();
        expect(out.status).toBe(200);
        expect(out.body).toEqual({ logoutUrl: `${cas.url}/logout?service=${encodeURIComponent(`${PUBLIC_URL}/`)}` });
        expect((await browser.me()).status).toBe(401);

        const logout = await fetch(out.body.logoutUrl, { redirect: 'manual' });
        expect(logout.status).toBe(302);
        expect(logout.headers.get('location')).toBe(`${PUBLIC_URL}/`);
        // CAS's single logout for that ticket: the session is already ended, which is no error.
        for (let i = 0; i < 50 && !cas.singleLogouts.some((l) => l.ticket === ticketOf(first.callback)); i++) await new Promise((resolve) => setTimeout(resolve, 20));
        expect(cas.singleLogouts.find((l) => l.ticket === ticketOf(first.callback))).toMatchObject({ service: CALLBACK, status: 200 });
      });

      it('ends, on CAS’s logoutRequest, the one session its ticket opened', async () => {
        const user = await memberOfDumg('hana.slo@etu.univ.fr');
        const account = { user: 'hslo', attributes: { mail: 'hana.slo@etu.univ.fr' } };
        const linking = new Browser(app);
        const first = await casSignIn(linking, account);
        await confirmLink(linking, first.response.headers.location, { subject: 'hslo', maskedEmail: 'h•••@etu.univ.fr' });
        const other = new Browser(app);
        const second = await casSignIn(other, account);
        expect((await other.me()).body.id).toBe(user.id);
        const password = await login(app.http, 'hana.slo@etu.univ.fr');
        const someoneElse = await memberOfDumg('ines.slo@etu.univ.fr');
        const theirs = new Browser(app);
        const theirFirst = await casSignIn(theirs, { user: 'islo', attributes: { mail: 'ines.slo@etu.univ.fr' } });
        await confirmLink(theirs, theirFirst.response.headers.location, { subject: 'islo', maskedEmail: 'i•••@etu.univ.fr' });
        expect((await theirs.me()).body.id).toBe(someoneElse.id);

        // Refused, nothing changed: a ticket that opened nothing, another faculty's address, a document type, no XML.
        const unchanged = async () => {
          expect((await linking.me()).status).toBe(200);
          expect((await other.me()).status).toBe(200);
        };
        expect((await sloPost('dumg', cas.logoutRequest('ST-99-inventé-cas'))).status).toBe(400);
        expect((await sloPost('dumg', cas.logoutRequest(cas.issueTicket(CALLBACK, account)))).status).toBe(400);
        expect((await sloPost('voisine', cas.logoutRequest(ticketOf(second.callback)))).status).toBe(400);
        const entity = `<!DOCTYPE r [<!ENTITY t "${ticketOf(second.callback)}">]><samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:SessionIndex>&t;</samlp:SessionIndex></samlp:LogoutRequest>`;
        expect((await sloPost('dumg', entity)).status).toBe(400);
        expect((await sloPost('dumg', 'pas du XML <')).status).toBe(400);
        expect((await app.http.post('/api/auth/university/dumg/callback').type('form').send({})).status).toBe(400);
        await unchanged();

        // The genuine one: only the second browser's session ends.
        expect((await sloPost('dumg', cas.logoutRequest(ticketOf(second.callback)))).status).toBe(200);
        expect((await other.me()).status).toBe(401);
        expect((await linking.me()).status).toBe(200);
        expect((await theirs.me()).status).toBe(200);
        expect((await app.http.get('/api/me').set('Authorization', `Bearer ${password}`)).status).toBe(200);
        // CAS may send it again: no error, nothing more ends.
        expect((await sloPost('dumg', cas.logoutRequest(ticketOf(second.callback)))).status).toBe(200);
        expect((await linking.me()).status).toBe(200);
      });

      it('gives a session opened by the university the password session’s lifetime and revocations', async () => {
        const user = await memberOfDumg('jules.slo@etu.univ.fr');
        const account = { user: 'jslo', attributes: { mail: 'jules.slo@etu.univ.fr' } };
        const linking = new Browser(app);
        const first = await casSignIn(linking, account);
        await confirmLink(linking, first.response.headers.location, { subject: 'jslo', maskedEmail: 'j•••@etu.univ.fr' });
        const bearer = await login(app.http, 'jules.slo@etu.univ.fr');
        const lifetimes = await app.dataSource.query(`SELECT university_protocol, extract(epoch FROM expires_at - created_at)::int AS seconds FROM session WHERE user_id = $1 ORDER BY created_at`, [user.id]);
        expect(lifetimes).toEqual([
          { university_protocol: 'cas', seconds: 12 * 3600 },
          { university_protocol: null, seconds: 12 * 3600 },
        ]);

        // Deactivated: both end at once; active again, neither comes back.
        await app.dataSource.query(`UPDATE app_user SET active = false WHERE id = $1`, [user.id]);
        expect((await linking.me()).status).toBe(401);
        await app.dataSource.query(`UPDATE app_user SET active = true WHERE id = $1`, [user.id]);

        // A password chosen from a reset link signs every session out, the university's included.
        const again = new Browser(app);
        await casSignIn(again, account);
        expect((await again.me()).status).toBe(200);
        const token = randomBytes(32).toString('base64url');
        await app.dataSource.query(`INSERT INTO one_time_token (id, user_id, purpose, token_hash, expires_at) VALUES (gen_random_uuid(), $1, 'password_reset', $2, now() + interval '1 hour')`, [user.id, createHash('sha256').update(token).digest()]);
        expect((await app.http.post('/api/auth/password').send({ token, password: 'une phrase de passe toute neuve' })).status).toBe(204);
        expect((await again.me()).status).toBe(401);
        expect((await app.http.get('/api/me').set('Authorization', `Bearer ${bearer}`)).status).toBe(401);

        // A faculty closed: the sessions its university opened end with it.
        const member = await makeUser(app.dataSource, { roles: ['intern'], email: 'karim.slo@etu.univ.fr', facultyId: voisine.id });
        await app.dataSource.query(`INSERT INTO user_identity (faculty_id, provider, subject, user_id) VALUES ($1, 'cas', 'kslo', $2)`, [voisine.id, member.id]);
        cas.signInAs({ user: 'kslo', attributes: { mail: 'karim.slo@etu.univ.fr' } });
        const neighbour = new Browser(app);
        const start = await neighbour.get('/api/auth/university/voisine/login');
        expect((await neighbour.get(await neighbour.throughProvider(start.headers.location))).headers.location).toBe('/');
        expect((await neighbour.me()).body.id).toBe(member.id);
        const memberPassword = await login(app.http, 'karim.slo@etu.univ.fr');
        await app.dataSource.query(`UPDATE faculty SET active = false WHERE id = $1`, [voisine.id]);
        try {
          expect((await neighbour.me()).status).toBe(401);
          expect((await app.http.get('/api/me').set('Authorization', `Bearer ${memberPassword}`)).status).toBe(401);
        } finally {
          await app.dataSource.query(`UPDATE faculty SET active = true WHERE id = $1`, [voisine.id]);
        }
      });
    });
  });
});

describe('university sign-in without CARNET_SECRET_KEY', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PUBLIC_URL });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses to store a client secret, in French, and stores nothing', async () => {
    const admin = await actor(app.http, app.dataSource, { roles: ['admin'] });
    const response = await app.http
      .put('/api/admin/university-sign-in')
      .set('Authorization', admin.bearer)
      .send({ protocol: 'oidc', enabled: true, issuer: 'https://login.univ.example.fr/realms/etu', clientId: 'carnet', clientSecret: 'un-secret', emailAttribute: 'email', subjectAttribute: 'sub', buttonLabel: LABEL, internPasswordsAllowed: true });
    expect(response.status).toBe(422);
    expect(response.body.detail).toMatch(/CARNET_SECRET_KEY/);
    expect(response.body.errors).toEqual([{ path: 'clientSecret', message: 'clé de chiffrement absente sur le serveur' }]);
    expect((await app.http.get('/api/admin/university-sign-in').set('Authorization', admin.bearer)).body).toMatchObject({ configured: false, clientSecretSet: false });
  });
});
