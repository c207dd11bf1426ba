import { startSmtpServer, TestSmtp } from '../support/smtp-server';
import { makeUser, login, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

let api: TestApp;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtpServer();
  // The test client (127.0.0.1) is a trusted proxy here, so X-Forwarded-For stands for the client's address.
  api = await startTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://carnet.dumg.test', TRUSTED_PROXIES: '127.0.0.1' }, { worker: true });
});
afterAll(async () => {
  await api.close();
  await smtp.close();
});

const linkToken = (text: string) => {
  const match = text.match(/https:\/\/carnet\.dumg\.test\/mot-de-passe\?jeton=([\w-]+)/);
  if (!match) throw new Error(`no link in ${text}`);
  return decodeURIComponent(match[1]);
};

describe('signing in', () => {
  it('refuses a missing or malformed body with 422 before anything else', async () => {
    const response = await api.http.post('/api/auth/login').send({ email: 'x@y.fr' }).expect(422);
    expect(response.body.errors).toEqual([{ path: 'password', message: 'requis' }]);
  });

  it('answers an unknown e-mail and a wrong password with the same 401 body', async () => {
    const user = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    const unknown = await api.http.post('/api/auth/login').send({ email: 'nobody@dumg.test', password: PASSWORD }).expect(401);
    const wrong = await api.http.post('/api/auth/login').send({ email: user.email, password: 'not the password' }).expect(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.headers['set-cookie']).toBeUndefined();
  });

  it('returns a token and an httpOnly, SameSite cookie; the e-mail is matched case-insensitively', async () => {
    const user = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025 });
    const response = await api.http.post('/api/auth/login').send({ email: user.email.toUpperCase(), password: PASSWORD }).expect(200);
    expect(response.body.accessToken).toEqual(expect.any(String));
    expect(response.body.user).toMatchObject({ id: user.id, email: user.email, roles: ['intern'], promotion: 2025, upp: { code: 'montpellier' } });
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });

  it('throttles an account after repeated failures, even with the right password then', async () => {
    const user = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'nimes' });
    for (let i = 0; i < 5; i++) await api.http.post('/api/auth/login').send({ email: user.email, password: `wrong ${i}` }).expect(401);
    const blocked = await api.http.post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(429);
    expect(blocked.headers['retry-after']).toBe('900');
    expect(blocked.headers['content-type']).toMatch(/problem\+json/);
    // Another account from elsewhere is not affected.
    const other = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'nimes' });
    await api.http.post('/api/auth/login').send({ email: other.email, password: PASSWORD }).expect(200);
  });

  it('throttles an address that tries many accounts', async () => {
    for (let i = 0; i < 30; i++) {
      await api.http.post('/api/auth/login').set('X-Forwarded-For', '10.9.9.9').send({ email: `spray${i}@dumg.test`, password: 'x' }).expect(401);
    }
    await api.http.post('/api/auth/login').set('X-Forwarded-For', '10.9.9.9').send({ email: 'spray99@dumg.test', password: 'x' }).expect(429);
  });
});

describe('a session', () => {
  it('reads /api/me with the bearer token or the cookie', async () => {
    const user = await makeUser(api.dataSource, { roles: ['tutor', 'jury'], upp: 'beziers' });
    const token = await login(api.http, user.email);
    const viaBearer = await api.http.get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(viaBearer.body).toMatchObject({ id: user.id, roles: ['tutor', 'jury'], tutees: [], displayName: `Camille ${user.lastName}` });
    expect(viaBearer.body.promotion).toBeUndefined();
    await api.http.get('/api/me').set('Cookie', `session=${token}`).expect(200);
    await api.http.get('/api/me').expect(401);
    await api.http.get('/api/me').set('Authorization', 'Bearer forged').expect(401);
  });

  it('needs the CSRF token for a write made with the cookie', async () => {
    const user = await makeUser(api.dataSource, { roles: ['intern'], upp: 'beziers' });
    const response = await api.http.post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
    const token = response.body.accessToken;
    const csrf = response.body.user.csrfToken;
    await api.http.post('/api/auth/logout').set('Cookie', `session=${token}`).expect(403);
    await api.http.post('/api/auth/logout').set('Cookie', `session=${token}`).set('X-CSRF-Token', 'wrong').expect(403);
    await api.http.post('/api/auth/logout').set('Cookie', `session=${token}`).set('X-CSRF-Token', csrf).expect(204);
  });

  it('is revoked by logout: the same token no longer works', async () => {
    const user = await makeUser(api.dataSource, { roles: ['intern'], upp: 'beziers' });
    const token = await login(api.http, user.email);
    await api.http.post('/api/auth/logout').set('Authorization', `Bearer ${token}`).expect(204);
    await api.http.get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('ends when the account is deactivated', async () => {
    const admin = await makeUser(api.dataSource, { roles: ['admin'] });
    const adminToken = await login(api.http, admin.email);
    const user = await makeUser(api.dataSource, { roles: ['intern'], upp: 'beziers' });
    const token = await login(api.http, user.email);
    await api.http.patch(`/api/admin/users/${user.id}`).set('Authorization', `Bearer ${adminToken}`).send({ active: false }).expect(200);
    await api.http.get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
  });
});

describe('invitation and password reset by e-mail', () => {
  it('invites a user created without a password, who then chooses one and signs in', async () => {
    const admin = await makeUser(api.dataSource, { roles: ['admin'] });
    const adminToken = await login(api.http, admin.email);
    await api.http
      .post('/api/admin/users')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ email: 'Nouvelle.Interne@etu.dumg.test', lastName: 'Lefèvre', firstName: 'Éloïse', roles: ['intern'], upp: 'montpellier', promotion: 2026 })
      .expect(201);
    const mail = await smtp.waitFor((m) => m.to.includes('nouvelle.interne@etu.dumg.test'));
    expect(mail.subject).toContain('Carnet');
    expect(mail.text).toContain('Bonjour Éloïse');
    expect(mail.text).toContain('https://carnet.dumg.test/mot-de-passe?jeton='); // a link, never a password
    const token = linkToken(mail.text);

    await api.http.post('/api/auth/password').send({ token, password: 'court' }).expect(422);
    await api.http.post('/api/auth/password').send({ token, password: 'une phrase de passe assez longue' }).expect(204);
    await login(api.http, 'nouvelle.interne@etu.dumg.test', 'une phrase de passe assez longue');
    // Single use.
    await api.http.post('/api/auth/password').send({ token, password: 'une autre phrase de passe' }).expect(400);
  });

  it('resets a forgotten password, signs out every session, and says nothing about unknown addresses', async () => {
    const user = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'perpignan', firstName: 'Sophie' });
    const oldToken = await login(api.http, user.email);
    const known = await api.http.post('/api/auth/password-reset').send({ email: user.email }).expect(202);
    const unknown = await api.http.post('/api/auth/password-reset').send({ email: 'personne@dumg.test' }).expect(202);
    expect(known.body).toEqual(unknown.body);
    const mail = await smtp.waitFor((m) => m.to.includes(user.email) && m.subject.includes('Réinitialisation'));
    await api.http.post('/api/auth/password').send({ token: linkToken(mail.text), password: 'nouvelle phrase de passe' }).expect(204);
    await api.http.get('/api/me').set('Authorization', `Bearer ${oldToken}`).expect(401);
    await api.http.post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(401);
    await login(api.http, user.email, 'nouvelle phrase de passe');
  });

  it('refuses an expired link', async () => {
    const user = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'perpignan' });
    await api.http.post('/api/auth/password-reset').send({ email: user.email }).expect(202);
    const mail = await smtp.waitFor((m) => m.to.includes(user.email));
    await api.dataSource.query(`UPDATE one_time_token SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [user.id]);
    await api.http.post('/api/auth/password').send({ token: linkToken(mail.text), password: 'nouvelle phrase de passe' }).expect(400);
  });
});

describe('the audit log', () => {
  it('records sign-ins and failed sign-ins, readable by admins with filters', async () => {
    const admin = await makeUser(api.dataSource, { roles: ['admin'] });
    const token = await login(api.http, admin.email);
    await api.http.post('/api/auth/login').send({ email: admin.email, password: 'wrong password' }).expect(401);
    const failed = await api.http.get('/api/admin/audit').query({ action: 'auth.login_failed', subjectId: admin.email }).set('Authorization', `Bearer ${token}`).expect(200);
    expect(failed.body.total).toBe(1);
    const logins = await api.http.get('/api/admin/audit').query({ action: 'auth.login', actorId: admin.id }).set('Authorization', `Bearer ${token}`).expect(200);
    expect(logins.body.items[0]).toMatchObject({ action: 'auth.login', actorId: admin.id, subjectId: admin.id });
  });
});

describe('the first admin from the environment', () => {
  it('is created at start when no admin exists, and can sign in', async () => {
    const fresh = await startTestApp({ CARNET_ADMIN_EMAIL: 'Scolarite@DUMG.test', CARNET_ADMIN_PASSWORD: 'premier mot de passe admin' });
    try {
      const token = await login(fresh.http, 'scolarite@dumg.test', 'premier mot de passe admin');
      const me = await fresh.http.get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
      expect(me.body.roles).toEqual(['admin']);
    } finally {
      await fresh.close();
    }
  });
});
