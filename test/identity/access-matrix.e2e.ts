import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The one access rule, walked as a table: every role and relationship state (the intern, their
 * active tutor, a former tutor, a jury member before, during and after the session, a tutor and
 * an intern with no tie, an admin) against every read of an intern's content, exports included.
 * Each cell is the status the reader gets now.
 */
let api: TestApp;
const readers: Record<string, Actor> = {};
const traces = { draft: '', submitted: '', reviewedByFormer: '', validatedByTutor: '' };
let internId = '';

const doc = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

beforeAll(async () => {
  api = await startTestApp();
  const admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  readers.admin = admin;
  const intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2025 });
  readers.self = intern;
  internId = intern.user.id;
  for (const name of ['former', 'tutor', 'unrelatedTutor']) readers[name] = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
  for (const name of ['juryOpen', 'juryBefore', 'juryAfter']) readers[name] = await actor(api.http, api.dataSource, { roles: ['jury'], upp: 'montpellier' });
  readers.otherIntern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2025 });

  const write = async (title: string, submit: boolean) => {
    const created = await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'trace', title, content: doc(title), competences: ['relation'], familles: ['aigu'] }).expect(201);
    if (submit) await api.http.post(`/api/traces/${created.body.id}/submit`).set('Authorization', intern.bearer).expect(200);
    return created.body.id as string;
  };
  const first = await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: readers.former.user.id, internId }).expect(201);
  traces.reviewedByFormer = await write('Relue par l’ancien tuteur', true);
  await api.http.post(`/api/traces/${traces.reviewedByFormer}/validate`).set('Authorization', readers.former.bearer).send({}).expect(200);
  await api.http.post(`/api/tutorships/${first.body.id}/end`).set('Authorization', admin.bearer).send({ reason: 'Changement' }).expect(200);
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: readers.tutor.user.id, internId }).expect(201);
  traces.validatedByTutor = await write('Validée par le tuteur actuel', true);
  await api.http.post(`/api/traces/${traces.validatedByTutor}/validate`).set('Authorization', readers.tutor.bearer).send({}).expect(200);
  traces.submitted = await write('Soumise, en attente', true);
  traces.draft = await write('Brouillon', false);

  const hour = 3600_000;
  const session = (member: Actor, from: number, to: number) =>
    api.http
      .post('/api/jury-sessions')
      .set('Authorization', admin.bearer)
      .send({ title: 'Commission', phase: 'socle', opensAt: new Date(Date.now() + from).toISOString(), closesAt: new Date(Date.now() + to).toISOString(), memberIds: [member.user.id], internIds: [internId] })
      .expect(201);
  await session(readers.juryOpen, -hour, hour);
  await session(readers.juryBefore, hour, 2 * hour);
  await session(readers.juryAfter, -2 * hour, -hour);
}, 60_000);

afterAll(async () => {
  await api.close();
});

const reads: Record<string, (who: Actor) => Promise<number>> = {
  draft: async (who) => (await api.http.get(`/api/traces/${traces.draft}`).set('Authorization', who.bearer)).status,
  submitted: async (who) => (await api.http.get(`/api/traces/${traces.submitted}`).set('Authorization', who.bearer)).status,
  reviewedByFormer: async (who) => (await api.http.get(`/api/traces/${traces.reviewedByFormer}`).set('Authorization', who.bearer)).status,
  validatedByTutor: async (who) => (await api.http.get(`/api/traces/${traces.validatedByTutor}`).set('Authorization', who.bearer)).status,
  comments: async (who) => (await api.http.get(`/api/traces/${traces.reviewedByFormer}/comments`).set('Authorization', who.bearer)).status,
  revision: async (who) => (await api.http.get(`/api/traces/${traces.reviewedByFormer}/revisions/1`).set('Authorization', who.bearer)).status,
  progress: async (who) => (await api.http.get(`/api/portfolios/${internId}/progress`).set('Authorization', who.bearer)).status,
  assessments: async (who) => (await api.http.get(`/api/portfolios/${internId}/assessments`).set('Authorization', who.bearer)).status,
  maquette: async (who) => (await api.http.get(`/api/portfolios/${internId}/maquette`).set('Authorization', who.bearer)).status,
  export: async (who) => (await api.http.post(`/api/portfolios/${internId}/exports`).set('Authorization', who.bearer).send({ format: 'pdf', scope: 'validated' })).status,
};

// prettier-ignore
const expected: Record<string, Record<keyof typeof reads, number>> = {
  //              draft submitted reviewedByFormer validatedByTutor comments revision progress assessments maquette export
  self:           { draft: 200, submitted: 200, reviewedByFormer: 200, validatedByTutor: 200, comments: 200, revision: 200, progress: 200, assessments: 200, maquette: 200, export: 202 },
  tutor:          { draft: 404, submitted: 200, reviewedByFormer: 200, validatedByTutor: 200, comments: 200, revision: 200, progress: 200, assessments: 200, maquette: 200, export: 202 },
  former:         { draft: 404, submitted: 404, reviewedByFormer: 200, validatedByTutor: 404, comments: 200, revision: 200, progress: 404, assessments: 404, maquette: 404, export: 404 },
  juryOpen:       { draft: 404, submitted: 404, reviewedByFormer: 200, validatedByTutor: 200, comments: 200, revision: 200, progress: 200, assessments: 200, maquette: 200, export: 202 },
  juryBefore:     { draft: 404, submitted: 404, reviewedByFormer: 404, validatedByTutor: 404, comments: 404, revision: 404, progress: 404, assessments: 404, maquette: 404, export: 404 },
  juryAfter:      { draft: 404, submitted: 404, reviewedByFormer: 404, validatedByTutor: 404, comments: 404, revision: 404, progress: 404, assessments: 404, maquette: 404, export: 404 },
  unrelatedTutor: { draft: 404, submitted: 404, reviewedByFormer: 404, validatedByTutor: 404, comments: 404, revision: 404, progress: 404, assessments: 404, maquette: 404, export: 404 },
  otherIntern:    { draft: 404, submitted: 404, reviewedByFormer: 404, validatedByTutor: 404, comments: 404, revision: 404, progress: 404, assessments: 404, maquette: 404, export: 404 },
};

it.each(Object.keys(expected))('gives %s exactly the reads their relationship allows now', async (name) => {
  const got: Record<string, number> = {};
  for (const [read, call] of Object.entries(reads)) got[read] = await call(readers[name]);
  expect(got).toEqual(expected[name]);
});

it('gives an admin the metadata of every trace, never its content, revisions or comments', async () => {
  const admin = readers.admin;
  for (const id of Object.values(traces)) {
    const { status, body } = await api.http.get(`/api/traces/${id}`).set('Authorization', admin.bearer);
    expect([status, body.title, body.content]).toEqual([200, undefined, undefined]);
  }
  expect((await api.http.get(`/api/traces/${traces.reviewedByFormer}/revisions/1`).set('Authorization', admin.bearer)).status).toBe(404);
  expect([403, 404]).toContain((await api.http.get(`/api/traces/${traces.reviewedByFormer}/comments`).set('Authorization', admin.bearer)).status);
  expect((await api.http.post(`/api/portfolios/${internId}/exports`).set('Authorization', admin.bearer).send({ format: 'pdf', scope: 'all' })).status).toBe(403);
});
