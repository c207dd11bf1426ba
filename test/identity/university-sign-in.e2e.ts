import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response as SupertestResponse } from 'supertest';
import { actor, Actor, makeUser, PASSWORD } from '../support/actors';
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
}

describe('university sign-in (CAS 3.0 and OpenID Connect)', () => {
  let app: TestApp;
  let cas: CasServer;
  let idp: OidcIdp;
  let admin: Actor;

  beforeAll(async () => {
    cas = await startCasServer();
    idp = await startOidcIdp([CALLBACK]);
    app = await startTestApp({ PUBLIC_URL, CARNET_SECRET_KEY: randomBytes(32).toString('base64') });
    admin = await actor(app.http, app.dataSource, { roles: ['admin'] });
  });
  afterAll(async () => {
    await app?.close();
    await cas?.close();
    await idp?.close();
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

      // A ticket the CAS server issued for the default faculty's service is no good at the other's.
      const other = new Browser(app);
      await other.get('/api/auth/university/autre/login');
      const crossed = await other.get(`${PUBLIC_URL}/api/auth/university/autre/callback?ticket=${cas.issueTicket(CALLBACK, account)}`);
      expect(crossed.headers.location).toBe('/?universite=echec');
      expect(other.carnet.has('session')).toBe(false);
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
