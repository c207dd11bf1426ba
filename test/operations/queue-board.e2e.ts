import { JOB_PRODUCER, JobProducer } from '@carnet/queue';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/** The queue dashboard (bull-board) for administrators: behind their session, actions audited. */
const BOARD = '/api/admin/queue-board';
let api: TestApp;
let admin: Actor;
let producer: JobProducer;

beforeAll(async () => {
  api = await startTestApp(); // no worker: what is queued stays queued
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  producer = api.app.get<JobProducer>(JOB_PRODUCER);
  await producer.enqueue('mail.send', { to: 'claire@dumg.test', subject: 'Invitation', text: '…' });
});
afterAll(() => api.close());

describe('the queue dashboard', () => {
  it('is closed to the anonymous and to every role but admin', async () => {
    await api.http.get(BOARD).expect(401);
    const intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
    const tutor = await actor(api.http, api.dataSource, { roles: ['tutor', 'jury'], upp: 'nimes' });
    for (const who of [intern, tutor]) {
      const refused = await api.http.get(`${BOARD}/api/queues`).set('Authorization', who.bearer).expect(403);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
      expect(refused.body.detail).toBe('Votre rôle ne permet pas cette action.');
    }
  });

  it('opens in the browser on an admin’s session cookie and shows every queue with its jobs', async () => {
    const page = await api.http.get(`${BOARD}/`).set('Cookie', `session=${admin.token}`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain(`<base href="${BOARD}/"`);
    const queues = await api.http.get(`${BOARD}/api/queues`).query({ activeQueue: 'mail', status: 'waiting' }).set('Cookie', `session=${admin.token}`).expect(200);
    const byName = Object.fromEntries((queues.body.queues as { name: string; counts: Record<string, number>; jobs: { name: string }[] }[]).map((q) => [q.name, q]));
    expect(Object.keys(byName).sort()).toEqual(['exports', 'mail', 'reminders', 'scans']);
    expect(byName.mail.counts.waiting).toBe(1);
    expect(byName.mail.jobs.map((j) => j.name)).toEqual(['mail.send']);
  });

  it('takes an action from its own page only, and audits it', async () => {
    const cookie = `session=${admin.token}`;
    // A cross-site form or script carries the cookie but not this origin: refused, queue untouched.
    await api.http.put(`${BOARD}/api/queues/mail/pause`).set('Host', 'carnet.test').set('Cookie', cookie).set('Origin', 'https://evil.example').expect(403);
    await api.http.put(`${BOARD}/api/queues/mail/pause`).set('Host', 'carnet.test').set('Cookie', cookie).expect(403);
    expect(await producer.queue('mail').isPaused()).toBe(false);

    await api.http.put(`${BOARD}/api/queues/mail/pause`).set('Host', 'carnet.test').set('Cookie', cookie).set('Origin', 'http://carnet.test').expect(200);
    expect(await producer.queue('mail').isPaused()).toBe(true);
    await api.http.put(`${BOARD}/api/queues/mail/resume`).set('Authorization', admin.bearer).expect(200);
    expect(await producer.queue('mail').isPaused()).toBe(false);

    const audit = await api.dataSource.query(`SELECT action, actor_id, details FROM audit_log WHERE action = 'queue.board_action' ORDER BY id`);
    expect(audit.map((a: { details: { method: string; path: string } }) => `${a.details.method} ${a.details.path}`)).toEqual(['PUT /api/queues/mail/pause', 'PUT /api/queues/mail/resume']);
    expect(audit.every((a: { actor_id: string }) => a.actor_id === admin.user.id)).toBe(true);
  });
});
