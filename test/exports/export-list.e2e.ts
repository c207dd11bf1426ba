import fs from 'node:fs';
import path from 'node:path';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/** GET /api/portfolios/:internId/exports: what the progress page lists, across reloads. */
const root = path.resolve(__dirname, '../..');
const rsca = JSON.parse(fs.readFileSync(path.resolve(root, '../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));

let api: TestApp;
let admin: Actor;
let intern: Actor;
let tutor: Actor;
let tutorship: string;

beforeAll(async () => {
  api = await startTestApp({ EXPORT_RETRY_DELAY_MS: '200' }, { worker: true });
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025 });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
  tutorship = (await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201)).body.id;
  const created = await api.http.post('/api/traces').set('Authorization', intern.bearer).send(rsca).expect(201);
  await api.http.post(`/api/traces/${created.body.id}/submit`).set('Authorization', intern.bearer).expect(200);
  await api.http.post(`/api/traces/${created.body.id}/validate`).set('Authorization', tutor.bearer).send({}).expect(200);
});
afterAll(async () => {
  await api.close();
});

async function completed(who: Actor, format: 'pdf' | 'zip') {
  const queued = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', who.bearer).send({ format, scope: 'validated' });
  expect([200, 202]).toContain(queued.status);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await api.http.get(`/api/exports/${queued.body.id}`).set('Authorization', who.bearer).expect(200);
    if (status.body.status === 'completed') return status.body;
    if (status.body.status === 'failed' || Date.now() > deadline) throw new Error(`export ${queued.body.id}: ${status.body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the list of a portfolio’s exports', () => {
  it('needs a session', async () => {
    await api.http.get(`/api/portfolios/${intern.user.id}/exports`).expect(401);
  });

  it('is a 404 to someone with no access to the portfolio', async () => {
    const stranger = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
    const response = await api.http.get(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', stranger.bearer);
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('lists the requester’s own finished exports, newest first, and not another requester’s', async () => {
    const pdf = await completed(intern, 'pdf');
    const zip = await completed(intern, 'zip');
    const tutorsPdf = await completed(tutor, 'pdf');

    const mine = await api.http.get(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).expect(200);
    expect(mine.body.map((e: { id: string }) => e.id)).toEqual([zip.id, pdf.id]);
    expect(mine.body[1]).toMatchObject({ format: 'pdf', status: 'completed', downloadUrl: `/api/exports/${pdf.id}/download` });
    expect(mine.body[1].size).toBeGreaterThan(1000);
    expect(Date.parse(mine.body[1].completedAt)).not.toBeNaN();

    const theirs = await api.http.get(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', tutor.bearer).expect(200);
    expect(theirs.body.map((e: { id: string }) => e.id)).toEqual([tutorsPdf.id]);
  });

  it('lists nothing once the requester no longer may read the portfolio', async () => {
    await api.http.post(`/api/tutorships/${tutorship}/end`).set('Authorization', admin.bearer).send({ reason: 'Changement de tuteur' }).expect(200);
    await api.http.get(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', tutor.bearer).expect(404);
  });
});
