import { Client } from 'pg';
import { makeUser } from '../support/actors';
import { startSmtpServer, TestSmtp } from '../support/smtp-server';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * POST /api/auth/password-reset, abused: account enumeration by timing (the answer used to wait
 * for the user lookup and the token, 8–16 ms for a known address, 4–5 ms for an unknown one) and
 * mail bombing (30 requests, 30 mails). `TRUSTED_PROXIES` lets X-Forwarded-For stand for the
 * sender's address.
 */
let smtp: TestSmtp;
let api: TestApp;
beforeAll(async () => {
  smtp = await startSmtpServer();
  api = await startTestApp({ SMTP_URL: smtp.url, TRUSTED_PROXIES: '127.0.0.1' }, { worker: true });
});
afterAll(async () => {
  await api?.close();
  await smtp?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const reset = (email: string, from: string) => api.http.post('/api/auth/password-reset').set('X-Forwarded-For', from).send({ email });
const mailsTo = (email: string) => smtp.messages.filter((m) => m.to.includes(email)).length;

it('30 requests for one address send at most 3 mails, and every answer is the same', async () => {
  const user = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier' });
  const responses = [];
  for (let i = 0; i < 30; i++) responses.push(await reset(user.email, `198.51.100.${i + 1}`));
  for (const r of responses) {
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ status: 'accepted' });
  }
  await smtp.waitFor((m) => m.to.includes(user.email));
  await sleep(2_000); // the rest, if any were to come
  console.log(`30 reset requests for one address: ${mailsTo(user.email)} mails sent`);
  expect(mailsTo(user.email)).toBeGreaterThanOrEqual(1);
  expect(mailsTo(user.email)).toBeLessThanOrEqual(3);
});

it('one sender address gets at most 10 reset mails an hour, whatever the addresses', async () => {
  const users: Awaited<ReturnType<typeof makeUser>>[] = [];
  for (let i = 0; i < 14; i++) users.push(await makeUser(api.dataSource, { roles: ['tutor'], upp: 'nimes' }));
  const from = '203.0.113.50';
  for (const user of users) {
    const r = await reset(user.email, from);
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ status: 'accepted' });
  }
  await smtp.waitFor((m) => m.to.includes(users[0].email));
  await sleep(2_000);
  const sent = users.filter((u) => mailsTo(u.email) > 0).length;
  console.log(`14 reset requests from one address: ${sent} mails sent`);
  expect(sent).toBeGreaterThanOrEqual(1);
  expect(sent).toBeLessThanOrEqual(10);
});

it('answers before looking the address up: known and unknown get the same answer while the user and token tables are locked', async () => {
  const user = await makeUser(api.dataSource, { roles: ['intern'], upp: 'beziers' });
  // A second connection holds every table the per-user work touches; an answer that waited for
  // that work would not come before the lock is released.
  const { url, host, port, username, database } = api.dataSource.options as { url?: string; host?: string; port?: number; username?: string; database?: string };
  const locker = new Client(url ? { connectionString: url } : { host, port, user: username, database });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE app_user, one_time_token, login_attempt_log, audit_log IN ACCESS EXCLUSIVE MODE');
    const answers = await Promise.all(
      [user.email, 'personne.inconnue@dumg.test'].map((email, i) => reset(email, `192.0.2.${i + 1}`).timeout({ response: 3_000 }).then((r) => ({ status: r.status, body: r.body }))),
    );
    expect(answers[0]).toEqual({ status: 202, body: { status: 'accepted' } });
    expect(answers[1]).toEqual(answers[0]);
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await locker.end();
  }
  // The work is done all the same, once the tables are free: the known address gets its link.
  const mail = await smtp.waitFor((m) => m.to.includes(user.email));
  expect(mail.subject).toContain('Réinitialisation');
});
