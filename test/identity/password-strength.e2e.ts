import { login, makeUser } from '../support/actors';
import { startSmtpServer, TestSmtp } from '../support/smtp-server';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A password chosen through the API is judged on its strength (zxcvbn), not only its length:
 * `aaaaaaaaaaaa` used to be accepted. The first admin's CARNET_ADMIN_PASSWORD keeps the length
 * rule only, so that no deployment stops starting.
 */
let smtp: TestSmtp;
let api: TestApp;
beforeAll(async () => {
  smtp = await startSmtpServer();
  api = await startTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://carnet.dumg.test' }, { worker: true });
});
afterAll(async () => {
  await api?.close();
  await smtp?.close();
});

const linkToken = (text: string) => decodeURIComponent(/jeton=([^\s&]+)/.exec(text)![1]);

const expectWeak = (response: { status: number; headers: Record<string, string>; body: { errors?: { path: string; message: string }[]; detail?: string } }) => {
  expect(response.status).toBe(422);
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(response.body.detail).toMatch(/^Mot de passe refusé : /);
  expect(response.body.errors).toEqual([{ path: 'password', message: expect.any(String) }]);
  return response.body.errors![0].message;
};

it('an admin cannot create a user with a weak password; the reason is given in French', async () => {
  const admin = await makeUser(api.dataSource, { roles: ['admin'], upp: 'nimes' });
  const token = await login(api.http, admin.email);
  const create = (email: string, password: string) =>
    api.http.post('/api/admin/users').set('Authorization', `Bearer ${token}`).send({ email, lastName: 'Roux', firstName: 'Inès', roles: ['tutor'], upp: 'nimes', password });
  expect(expectWeak(await create('ines.roux@dumg.test', 'aaaaaaaaaaaa'))).toMatch(/caractères répétés/);
  expect(expectWeak(await create('ines.roux@dumg.test', 'password1234'))).toMatch(/couramment utilisé/);
  await create('ines.roux@dumg.test', 'Glycémie capillaire à jeun 2026').expect(201);
  await login(api.http, 'ines.roux@dumg.test', 'Glycémie capillaire à jeun 2026');
});

it('a weak password is refused from a reset link, which stays usable for a strong one', async () => {
  const user = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier' });
  await api.http.post('/api/auth/password-reset').send({ email: user.email }).expect(202);
  const mail = await smtp.waitFor((m) => m.to.includes(user.email));
  const token = linkToken(mail.text);
  expectWeak(await api.http.post('/api/auth/password').send({ token, password: 'aaaaaaaaaaaa' }));
  expectWeak(await api.http.post('/api/auth/password').send({ token, password: 'motdepasse123' }));
  await api.http.post('/api/auth/password').send({ token, password: 'nouvelle phrase de passe' }).expect(204);
  await login(api.http, user.email, 'nouvelle phrase de passe');
});

it('CARNET_ADMIN_PASSWORD keeps the length rule only: a long but weak one still starts', async () => {
  const fresh = await startTestApp({ CARNET_ADMIN_EMAIL: 'premier.admin@dumg.test', CARNET_ADMIN_PASSWORD: 'aaaaaaaaaaaa' });
  try {
    await login(fresh.http, 'premier.admin@dumg.test', 'aaaaaaaaaaaa');
  } finally {
    await fresh.close();
  }
});
