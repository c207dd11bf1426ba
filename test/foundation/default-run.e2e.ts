import request from 'supertest';
import { createQueueBackend, JobProducer } from '@carnet/queue';
import { until } from '../support/processes';
import { TestSmtp } from '../support/smtp-server';
import { EMBEDDED_ADMIN, EmbeddedRun, startEmbeddedRun } from '../support/embedded-run';
import { binaryBody } from '../support/files';

/**
 * The product as `npm start` runs it on a machine with nothing else: the launcher, the embedded
 * PostgreSQL (PGlite), BullMQ on that same database, local-disk storage. Exports and reminders
 * are asked for once the workers are idle, as a user asks for them minutes after the start: an
 * idle worker there is woken by no NOTIFY, and used to sleep until the next repeatable job
 * (hours away) while a PDF stayed « Export en cours ».
 */
const PASSWORD = 'Glycémie capillaire à jeun 2026';
const ADMIN = EMBEDDED_ADMIN;

let run: EmbeddedRun;
let smtp: TestSmtp;
let base: string;
let databaseUrl: string;

beforeAll(async () => {
  run = await startEmbeddedRun();
  ({ base, databaseUrl } = run);
  smtp = run.smtp!;
}, 120_000);

afterAll(async () => {
  await run?.close();
});

const login = async (email: string, password: string) => {
  const response = await request(base).post('/api/auth/login').send({ email, password });
  if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${run.output().slice(-2000)}`);
  return `Bearer ${response.body.accessToken}`;
};

it('builds a PDF and a ZIP export, and runs the reminders, asked for while the workers are idle', async () => {
  const admin = await login(ADMIN.email, ADMIN.password);
  const http = request(base);
  expect((await http.post('/api/admin/upps').set('Authorization', admin).send({ code: 'montpellier', name: 'Montpellier-Nîmes' })).status).toBe(201);
  const make = async (email: string, roles: string[], extra: object) => {
    const response = await http
      .post('/api/admin/users')
      .set('Authorization', admin)
      .send({ email, lastName: 'Martin', firstName: 'Camille', roles, upp: 'montpellier', password: PASSWORD, ...extra });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const internId = await make('interne@dumg.test', ['intern'], { promotion: 2025 });
  const tutorId = await make('msu@dumg.test', ['tutor'], {});
  expect((await http.post('/api/tutorships').set('Authorization', admin).send({ tutorId, internId })).status).toBe(201);

  const intern = await login('interne@dumg.test', PASSWORD);
  const content = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Une consultation pour une douleur thoracique.' }] }] };
  const created = await http
    .post('/api/traces')
    .set('Authorization', intern)
    .send({ kind: 'rsca', title: 'Douleur thoracique au cabinet', content, competences: ['premier_recours'], familles: ['aigu'] });
  expect(created.status).toBe(201);
  expect((await http.post(`/api/traces/${created.body.id}/submit`).set('Authorization', intern)).status).toBe(200);

  // Long enough for every worker to be in its idle wait, as on an instance started a while ago.
  await new Promise((resolve) => setTimeout(resolve, 4_000));

  for (const format of ['pdf', 'zip'] as const) {
    const asked = await http.post(`/api/portfolios/${internId}/exports`).set('Authorization', intern).send({ format, scope: 'all' });
    expect(asked.status).toBe(202);
    const done = await until(
      `the ${format} export`,
      async () => {
        const { body } = await http.get(`/api/exports/${asked.body.id}`).set('Authorization', intern);
        return body.status === 'completed' || body.status === 'failed' ? body : undefined;
      },
      30_000,
      250,
    );
    expect(done).toMatchObject({ status: 'completed', progress: 100 });
    const file = await http
      .get(`/api/exports/${asked.body.id}/download`)
      .set('Authorization', intern)
      .buffer(true)
      .parse(binaryBody);
    expect(file.status).toBe(200);
    expect((file.body as Buffer).subarray(0, 4).toString('latin1')).toBe(format === 'pdf' ? '%PDF' : 'PK\u0003\u0004');
  }

  // The daily reminders run, as its 08:00 schedule enqueues it: the tutor hears of the waiting trace.
  const producer = new JobProducer(createQueueBackend({ databaseUrl, prefix: 'carnet', postgresSchema: 'public', notifications: false }));
  try {
    await producer.enqueue('reminders.run', {});
  } finally {
    await producer.close();
  }
  const digest = await smtp.waitFor((mail) => mail.to.includes('msu@dumg.test') && /à relire cette semaine/.test(mail.subject), 30_000);
  expect(digest.text).toMatch(/1 trace de vos tutorés attend votre relecture/);
}, 180_000);
