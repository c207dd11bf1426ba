import { randomUUID } from 'node:crypto';
import { actor, Actor, makeUser } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * An admin edits a jury session while it has not closed, then closes it: from that moment its
 * members lose the interns' portfolios, and the session no longer changes.
 */
let api: TestApp;
let admin: Actor;
let jury: Actor;
let otherJury: Actor;
let tutor: Actor;
const hour = 3600_000;

beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  jury = await actor(api.http, api.dataSource, { roles: ['jury'], upp: 'montpellier' });
  otherJury = await actor(api.http, api.dataSource, { roles: ['jury'], upp: 'montpellier' });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
});
afterAll(async () => {
  await api.close();
});

const createSession = async (internIds: string[], opensIn = -hour) =>
  (
    await api.http
      .post('/api/jury-sessions')
      .set('Authorization', admin.bearer)
      .send({ title: 'Commission socle', phase: 'socle', opensAt: new Date(Date.now() + opensIn).toISOString(), closesAt: new Date(Date.now() + opensIn + 3 * hour).toISOString(), memberIds: [jury.user.id], internIds })
      .expect(201)
  ).body as { id: string; status: string };

describe('PATCH /api/jury-sessions/:id', () => {
  it('refuses without a session, to a member, a malformed id, bad content and an unknown session', async () => {
    const intern = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    const session = await createSession([intern.id]);
    await api.http.patch(`/api/jury-sessions/${session.id}`).send({ title: 'x' }).expect(401);
    await api.http.patch(`/api/jury-sessions/${session.id}`).set('Authorization', jury.bearer).send({ title: 'x' }).expect(403);
    await api.http.patch('/api/jury-sessions/not-a-uuid').set('Authorization', admin.bearer).send({ title: 'x' }).expect(400);
    const invalid = await api.http.patch(`/api/jury-sessions/${session.id}`).set('Authorization', admin.bearer).send({ title: '', memberIds: [] }).expect(422);
    expect(invalid.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['memberIds', 'title']);
    await api.http.patch(`/api/jury-sessions/${session.id}`).set('Authorization', admin.bearer).send({ memberIds: [tutor.user.id] }).expect(422);
    await api.http.patch(`/api/jury-sessions/${session.id}`).set('Authorization', admin.bearer).send({ closesAt: new Date(Date.now() - 2 * hour).toISOString() }).expect(422);
    await api.http.patch(`/api/jury-sessions/${randomUUID()}`).set('Authorization', admin.bearer).send({ title: 'x' }).expect(404);
  });

  it('changes the title, window, members and interns, and the new member reads the portfolio', async () => {
    const [first, second] = await Promise.all([
      makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier' }),
      makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier' }),
    ]);
    const session = await createSession([first.id]);
    expect(session.status).toBe('open');
    const closesAt = new Date(Date.now() + 5 * hour).toISOString();
    const edited = await api.http
      .patch(`/api/jury-sessions/${session.id}`)
      .set('Authorization', admin.bearer)
      .send({ title: 'Commission socle — juin', closesAt, memberIds: [otherJury.user.id], internIds: [second.id] })
      .expect(200);
    expect(edited.body).toMatchObject({ title: 'Commission socle — juin', closesAt, status: 'open', members: [{ id: otherJury.user.id }], interns: [{ id: second.id, decision: null }] });

    await api.http.get(`/api/jury-sessions/${session.id}/interns/${second.id}/portfolio`).set('Authorization', otherJury.bearer).expect(200);
    await api.http.get(`/api/jury-sessions/${session.id}/interns/${second.id}/portfolio`).set('Authorization', jury.bearer).expect(404);
    await api.http.get(`/api/jury-sessions/${session.id}/interns/${first.id}/portfolio`).set('Authorization', otherJury.bearer).expect(404);

    const audit = await api.http.get('/api/admin/audit').query({ action: 'jury.session_updated', subjectId: session.id }).set('Authorization', admin.bearer).expect(200);
    expect(audit.body.items[0]).toMatchObject({ actorId: admin.user.id, details: { changed: ['title', 'closesAt', 'memberIds', 'internIds'] } });
  });

  it('keeps an intern who has a decision on the session (409)', async () => {
    const intern = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    const session = await createSession([intern.id]);
    await api.http.post(`/api/jury-sessions/${session.id}/decisions`).set('Authorization', jury.bearer).send({ internId: intern.id, decision: 'deferred', comment: 'À revoir' }).expect(201);
    const refused = await api.http.patch(`/api/jury-sessions/${session.id}`).set('Authorization', admin.bearer).send({ internIds: [] }).expect(409);
    expect(refused.body.detail).toContain('décision est déjà enregistrée');
    const shown = await api.http.get(`/api/jury-sessions/${session.id}`).set('Authorization', admin.bearer).expect(200);
    expect(shown.body.interns).toEqual([expect.objectContaining({ id: intern.id, decision: expect.objectContaining({ decision: 'deferred' }) })]);
  });
});

describe('POST /api/jury-sessions/:id/close', () => {
  it('refuses without a session, to a member, a malformed id and an unknown session', async () => {
    const session = await createSession([]);
    await api.http.post(`/api/jury-sessions/${session.id}/close`).expect(401);
    await api.http.post(`/api/jury-sessions/${session.id}/close`).set('Authorization', jury.bearer).expect(403);
    await api.http.post('/api/jury-sessions/not-a-uuid/close').set('Authorization', admin.bearer).expect(400);
    await api.http.post(`/api/jury-sessions/${randomUUID()}/close`).set('Authorization', admin.bearer).expect(404);
  });

  it('ends the members’ access at once, then refuses changes and a second close', async () => {
    const intern = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    const session = await createSession([intern.id]);
    await api.http.get(`/api/jury-sessions/${session.id}/interns/${intern.id}/portfolio`).set('Authorization', jury.bearer).expect(200);

    const closed = await api.http.post(`/api/jury-sessions/${session.id}/close`).set('Authorization', admin.bearer).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', open: false });
    expect(Date.parse(closed.body.closesAt)).toBeLessThanOrEqual(Date.now());

    await api.http.get(`/api/jury-sessions/${session.id}/interns/${intern.id}/portfolio`).set('Authorization', jury.bearer).expect(404);
    await api.http.post(`/api/jury-sessions/${session.id}/decisions`).set('Authorization', jury.bearer).send({ internId: intern.id, decision: 'validated', comment: '' }).expect(404);
    await api.http.patch(`/api/jury-sessions/${session.id}`).set('Authorization', admin.bearer).send({ title: 'Trop tard' }).expect(409);
    await api.http.post(`/api/jury-sessions/${session.id}/close`).set('Authorization', admin.bearer).expect(409);

    const audit = await api.http.get('/api/admin/audit').query({ action: 'jury.session_closed', subjectId: session.id }).set('Authorization', admin.bearer).expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ actorId: admin.user.id, actorName: `${admin.user.firstName} ${admin.user.lastName}` })]);
  });

  it('closes a session that had not opened yet: it never opens', async () => {
    const intern = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    const session = await createSession([intern.id], 2 * hour);
    expect(session.status).toBe('upcoming');
    const closed = await api.http.post(`/api/jury-sessions/${session.id}/close`).set('Authorization', admin.bearer).expect(200);
    expect(closed.body.status).toBe('closed');
    expect(Date.parse(closed.body.opensAt)).toBeLessThan(Date.parse(closed.body.closesAt));
    const listed = await api.http.get('/api/jury-sessions').set('Authorization', admin.bearer).expect(200);
    expect(listed.body.find((s: { id: string }) => s.id === session.id).status).toBe('closed');
  });
});
