import { randomUUID } from 'node:crypto';
import type { Test } from 'supertest';
import { Tenancy } from '@carnet/database';
import { canonicalJson, sha256Hex } from '@carnet/editor';
import { Actor, actor, login, makeUser, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A portfolio that follows its intern (issue 26): faculty A's admin releases an intern's
 * portfolio to faculty B; B's admin accepts it onto B's row of the same person. Checked: who may
 * do what (401, 403, 404, 400, 422 first), what each side sees before and after (A's people lose
 * it, B's tutor and jury read it, marked « validé à » A), the validation stamps still verify,
 * both faculties' audit logs, the transfer row's own seal, and that racing decisions move a
 * portfolio exactly once.
 */
let api: TestApp;
let facultyA: string;
let facultyAName: string;
let facultyB: string;
let operator: string;
const a: Record<'admin' | 'tutor' | 'intern' | 'jury', Actor> = {} as never;
const b: Record<'admin' | 'tutor' | 'jury', Actor> = {} as never;
let cAdmin: string;
/** The intern's row in B: the same person (same e-mail) as `a.intern`. */
let bIntern: { id: string; email: string };
let validated: { id: string; sha256: string; validatedAt: string };
let draftId: string;
let attachmentId: string;
let juryA: string;
let exportId: string;

const as = (token: string, test: Test) => test.set('Authorization', `Bearer ${token}`);
const content = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

async function release(internId: string, code = 'faculte-b', token = a.admin.token) {
  return as(token, api.http.post('/api/admin/portfolio-transfers')).send({ internId, toFacultyCode: code });
}

/** An intern of A with a row in B too (same e-mail), a validated trace, and A's tutor. */
async function internInBoth(): Promise<{ a: Actor; bId: string }> {
  const intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', facultyId: facultyA });
  const row = await makeUser(api.dataSource, { roles: ['intern'], facultyId: facultyB, email: intern.email, upp: 'upp-b' });
  const trace = await as(intern.token, api.http.post('/api/traces')).send({ kind: 'trace', title: 'Une trace', content: content('texte'), competences: ['relation'], familles: [] }).expect(201);
  void trace;
  return { a: intern, bId: row.id };
}

async function auditOf(token: string, action: string): Promise<{ subjectId: string; details: Record<string, unknown> }[]> {
  return (await as(token, api.http.get('/api/admin/audit')).query({ action }).expect(200)).body.items;
}

beforeAll(async () => {
  api = await startTestApp({ CARNET_OPERATOR_EMAIL: 'operateur@carnet.test', CARNET_OPERATOR_PASSWORD: PASSWORD });
  [{ id: facultyA, name: facultyAName }] = await api.dataSource.query(`SELECT id, name FROM faculty`);
  a.admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  a.tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], firstName: 'Amélie', lastName: 'Tutrice-A' });
  a.intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', firstName: 'Inès', lastName: 'Mobile' });
  a.jury = await actor(api.http, api.dataSource, { roles: ['jury'] });
  operator = await login(api.http, 'operateur@carnet.test');

  for (const [code, admin] of [['faculte-b', 'admin.b'], ['faculte-c', 'admin.c']] as const) {
    await as(operator, api.http.post('/api/operator/faculties')).send({ code, name: `DUMG ${code.slice(-1).toUpperCase()}`, admin: { email: `${admin}@${code}.test`, firstName: 'Admin', lastName: code } }).expect(201);
  }
  [{ id: facultyB }] = await api.dataSource.query(`SELECT id FROM faculty WHERE code = 'faculte-b'`);
  const [{ id: facultyC }] = await api.dataSource.query(`SELECT id FROM faculty WHERE code = 'faculte-c'`);
  const inB = (roles: ('tutor' | 'jury' | 'admin')[]) => actor(api.http, api.dataSource, { roles, facultyId: facultyB, email: `${roles[0]}.${randomUUID().slice(0, 6)}@faculte-b.test` });
  [b.admin, b.tutor, b.jury] = [await inB(['admin']), await inB(['tutor']), await inB(['jury'])];
  cAdmin = (await actor(api.http, api.dataSource, { roles: ['admin'], facultyId: facultyC, email: 'second.admin@faculte-c.test' })).token;
  const row = await makeUser(api.dataSource, { roles: ['intern'], facultyId: facultyB, email: a.intern.email, upp: 'upp-b', firstName: 'Inès', lastName: 'Mobile' });
  bIntern = { id: row.id, email: row.email };

  // A's portfolio: a tutorship, a validated trace with a comment, a draft with an attachment,
  // an assessment, a stage, a co-signed meeting, a jury decision.
  await as(a.admin.token, api.http.post('/api/tutorships')).send({ tutorId: a.tutor.user.id, internId: a.intern.user.id }).expect(201);
  const trace = (await as(a.intern.token, api.http.post('/api/traces')).send({ kind: 'rsca', title: 'RSCA de A', content: content('Une consultation à A'), competences: ['relation'], familles: ['aigu'] }).expect(201)).body;
  await as(a.intern.token, api.http.post(`/api/traces/${trace.id}/submit`)).send({}).expect(200);
  await as(a.tutor.token, api.http.post(`/api/traces/${trace.id}/comments`)).send({ body: 'Bien analysé' }).expect(201);
  const stamp = (await as(a.tutor.token, api.http.post(`/api/traces/${trace.id}/validate`)).send({}).expect(200)).body;
  validated = { id: trace.id, sha256: stamp.validatedSha256, validatedAt: stamp.validatedAt };
  draftId = (await as(a.intern.token, api.http.post('/api/traces')).send({ kind: 'trace', title: 'Brouillon', content: content('en cours'), competences: [], familles: [] }).expect(201)).body.id;
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100, 'p')]);
  attachmentId = (await api.http.post(`/api/traces/${draftId}/attachments`).set('Authorization', a.intern.bearer).attach('file', pdf, 'notes.pdf').expect(201)).body.id;
  await as(a.tutor.token, api.http.post(`/api/portfolios/${a.intern.user.id}/assessments`))
    .send({ phase: 'socle', levels: { relation: 'intermediaire' }, comment: 'Progresse', recommendation: 'favorable' })
    .expect(201);
  await as(a.admin.token, api.http.post('/api/stages'))
    .send({ internId: a.intern.user.id, kind: 'urgences', semester: 1, place: 'CHU A', startsOn: '2026-11-02', endsOn: '2027-05-02', supervisors: [{ tutorId: a.tutor.user.id, referent: true, halfDaysPerWeek: 8 }] })
    .expect(201);
  const day = new Date(Date.now() - 86400_000).toISOString().slice(0, 10);
  await as(a.tutor.token, api.http.post(`/api/portfolios/${a.intern.user.id}/meetings`)).send({ heldOn: day, discussed: 'Le point', nextObjectives: 'suite' }).expect(201);
  juryA = (
    await as(a.admin.token, api.http.post('/api/jury-sessions'))
      .send({ title: 'Commission A', phase: 'socle', opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86400_000).toISOString(), memberIds: [a.jury.user.id], internIds: [a.intern.user.id] })
      .expect(201)
  ).body.id;
  await as(a.jury.token, api.http.post(`/api/jury-sessions/${juryA}/decisions`)).send({ internId: a.intern.user.id, decision: 'deferred', comment: 'à revoir' }).expect(201);
  exportId = (await as(a.tutor.token, api.http.post(`/api/portfolios/${a.intern.user.id}/exports`)).send({ format: 'zip', scope: 'validated' })).body.id;
  expect(exportId).toBeDefined();
}, 120_000);

afterAll(async () => {
  await api.close();
});

describe('releasing a portfolio', () => {
  it('refuses the unauthenticated (401), other roles (403), malformed bodies (422), others’ interns (404) and impossible faculties (422)', async () => {
    await api.http.post('/api/admin/portfolio-transfers').send({ internId: a.intern.user.id, toFacultyCode: 'faculte-b' }).expect(401);
    for (const token of [a.tutor.token, a.intern.token, a.jury.token, operator]) {
      await as(token, api.http.post('/api/admin/portfolio-transfers')).send({ internId: a.intern.user.id, toFacultyCode: 'faculte-b' }).expect(403);
      await as(token, api.http.get('/api/admin/portfolio-transfers')).expect(403);
    }
    await as(a.admin.token, api.http.post('/api/admin/portfolio-transfers')).send({ internId: 'x', toFacultyCode: 'faculte-b' }).expect(422);
    // B's row of the same person, a tutor, an unknown id: not an intern of A.
    for (const internId of [bIntern.id, a.tutor.user.id, randomUUID()]) expect((await release(internId)).status).toBe(404);
    const unknown = await release(a.intern.user.id, 'nulle-part');
    expect(unknown.status).toBe(422);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body.errors).toEqual([{ path: 'toFacultyCode', message: 'Aucune faculté n’a le code « nulle-part ».' }]);
    expect((await release(a.intern.user.id, 'dumg')).status).toBe(422);
    await as(operator, api.http.post('/api/operator/faculties')).send({ code: 'faculte-fermee', name: 'DUMG fermé', admin: { email: 'x@fermee.test', firstName: 'X', lastName: 'Y' } }).expect(201);
    const [{ id: closed }] = await api.dataSource.query(`SELECT id FROM faculty WHERE code = 'faculte-fermee'`);
    await as(operator, api.http.patch(`/api/operator/faculties/${closed}`)).send({ active: false }).expect(200);
    const toClosed = await release(a.intern.user.id, 'faculte-fermee');
    expect(toClosed.status).toBe(422);
    expect(toClosed.body.detail).toMatch(/fermée/);
    expect(await api.dataSource.query(`SELECT count(*)::int AS n FROM portfolio_transfer`)).toEqual([{ n: 0 }]);
  });

  it('offers the open faculties other than the admin’s own as destinations', async () => {
    const destinations = (await as(a.admin.token, api.http.get('/api/admin/portfolio-transfers/destinations')).expect(200)).body;
    expect(destinations).toEqual([
      { code: 'faculte-b', name: 'DUMG B' },
      { code: 'faculte-c', name: 'DUMG C' },
    ]);
    await as(a.tutor.token, api.http.get('/api/admin/portfolio-transfers/destinations')).expect(403);
  });

  it('releases to B: one pending transfer, listed by both admins with counts and no content, and by no third faculty', async () => {
    const released = await release(a.intern.user.id);
    expect(released.status).toBe(201);
    expect(released.body).toMatchObject({ direction: 'outgoing', status: 'pending', fromInternId: a.intern.user.id, toFaculty: { code: 'faculte-b' } });
    expect((await release(a.intern.user.id)).status).toBe(409);

    const incoming = (await as(b.admin.token, api.http.get('/api/admin/portfolio-transfers')).query({ direction: 'incoming' }).expect(200)).body;
    expect(incoming.total).toBe(1);
    const [offer] = incoming.items;
    expect(offer).toMatchObject({
      id: released.body.id,
      direction: 'incoming',
      status: 'pending',
      intern: { displayName: 'Inès Mobile', email: a.intern.email },
      toInternId: bIntern.id,
      counts: { traces: 2, validatedTraces: 1, attachments: 1, assessments: 1, stages: 1, juryDecisions: 1, tutorMeetings: 1 },
    });
    expect(offer.fromInternId).toBeUndefined();
    expect(JSON.stringify(offer)).not.toMatch(/RSCA de A|consultation/);
    expect((await as(b.admin.token, api.http.get('/api/admin/portfolio-transfers')).query({ direction: 'outgoing' }).expect(200)).body.total).toBe(0);
    expect((await as(cAdmin, api.http.get('/api/admin/portfolio-transfers')).expect(200)).body).toMatchObject({ items: [], total: 0 });

    // Before acceptance B reads nothing of the portfolio; A's tutor still does.
    await as(b.tutor.token, api.http.get(`/api/traces/${validated.id}`)).expect(404);
    await as(b.admin.token, api.http.get(`/api/traces/${validated.id}`)).expect(404);
    await as(a.tutor.token, api.http.get(`/api/traces/${validated.id}`)).expect(200);

    const audited = await auditOf(a.admin.token, 'portfolio.transfer.released');
    expect(audited.map((e) => e.subjectId)).toEqual([released.body.id]);
    expect((await auditOf(b.admin.token, 'portfolio.transfer.released')).map((e) => e.subjectId)).toEqual([released.body.id]);
    expect(await auditOf(cAdmin, 'portfolio.transfer.released')).toEqual([]);
  });

  it('lets only A cancel, only B accept or refuse, and a third faculty nothing (404)', async () => {
    const [{ id }] = await api.dataSource.query(`SELECT id FROM portfolio_transfer WHERE from_intern_id = $1`, [a.intern.user.id]);
    for (const step of ['accept', 'refuse', 'cancel']) await as(cAdmin, api.http.post(`/api/admin/portfolio-transfers/${id}/${step}`)).send({}).expect(404);
    await as(b.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/cancel`)).send({}).expect(403);
    await as(a.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/accept`)).send({}).expect(403);
    await as(a.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/refuse`)).send({}).expect(403);
    await as(b.admin.token, api.http.post(`/api/admin/portfolio-transfers/${randomUUID()}/accept`)).send({}).expect(404);
    await as(b.admin.token, api.http.post(`/api/admin/portfolio-transfers/not-an-id/accept`)).send({}).expect(400);
    await as(b.tutor.token, api.http.post(`/api/admin/portfolio-transfers/${id}/accept`)).send({}).expect(403);
  });

  it('refuses to pour the portfolio onto another person’s row (422) or while an export of it runs (409)', async () => {
    const [{ id }] = await api.dataSource.query(`SELECT id FROM portfolio_transfer WHERE from_intern_id = $1`, [a.intern.user.id]);
    const someoneElse = await makeUser(api.dataSource, { roles: ['intern'], facultyId: facultyB, upp: 'upp-b' });
    const wrong = await as(b.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/accept`)).send({ internId: someoneElse.id });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].path).toBe('internId');
    // A's row of the person is not B's to name.
    await as(b.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/accept`)).send({ internId: a.intern.user.id }).expect(404);
    const busy = await as(b.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/accept`)).send({});
    expect(busy.status).toBe(409);
    expect(busy.body.detail).toMatch(/export/);
    expect(await api.dataSource.query(`SELECT count(*)::int AS n FROM trace WHERE intern_id = $1`, [a.intern.user.id])).toEqual([{ n: 2 }]);
    // The worker (not started here) finishes the export: it failed.
    await api.dataSource.query(`UPDATE portfolio_export SET status = 'failed', error = 'test' WHERE id = $1`, [exportId]);
  });
});

describe('accepting it', () => {
  it('moves the portfolio exactly once when two accepts are sent together', async () => {
    const [{ id }] = await api.dataSource.query(`SELECT id FROM portfolio_transfer WHERE from_intern_id = $1`, [a.intern.user.id]);
    const answers = await Promise.all([0, 1].map(() => as(b.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/accept`)).send({})));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const accepted = answers.find((r) => r.status === 200)!.body;
    expect(accepted).toMatchObject({ status: 'accepted', toInternId: bIntern.id, counts: { traces: 2, validatedTraces: 1, attachments: 1, assessments: 1, stages: 1, juryDecisions: 1, tutorMeetings: 1 } });
    expect(await api.dataSource.query(`SELECT faculty_id, intern_id FROM trace WHERE id = ANY($1) ORDER BY id`, [[validated.id, draftId]])).toEqual([
      { faculty_id: facultyB, intern_id: bIntern.id },
      { faculty_id: facultyB, intern_id: bIntern.id },
    ]);
    // The tallies follow: the operator's counts.
    const faculties = (await as(operator, api.http.get('/api/operator/faculties')).expect(200)).body as { id: string; counts: { traces: number } }[];
    expect(faculties.find((f) => f.id === facultyB)?.counts.traces).toBe(2);
    expect(faculties.find((f) => f.id === facultyA)?.counts.traces).toBe(0);
    // A's exports of the portfolio went too.
    expect(await api.dataSource.query(`SELECT count(*)::int AS n FROM portfolio_export WHERE id = $1`, [exportId])).toEqual([{ n: 0 }]);
  });

  it('closes A’s row of the intern: signed out, no sign-in into A', async () => {
    await as(a.intern.token, api.http.get('/api/me')).expect(401);
    const signIn = await api.http.post('/api/auth/login').send({ email: a.intern.email, password: PASSWORD }).expect(200);
    expect(signIn.body.user.faculty.code).toBe('faculte-b');
    expect(signIn.body.user.faculties.map((f: { code: string }) => f.code)).toEqual(['faculte-b']);
  });

  it('takes the portfolio out of A’s reach: its tutor, jury and admin get 404', async () => {
    await as(a.tutor.token, api.http.get(`/api/traces/${validated.id}`)).expect(404);
    await as(a.tutor.token, api.http.get(`/api/traces/${draftId}`)).expect(404);
    await as(a.admin.token, api.http.get(`/api/traces/${validated.id}`)).expect(404);
    await as(a.tutor.token, api.http.get(`/api/attachments/${attachmentId}`)).expect(404);
    await as(a.jury.token, api.http.get(`/api/jury-sessions/${juryA}/interns/${a.intern.user.id}/portfolio`)).expect(404);
    await as(a.jury.token, api.http.get(`/api/jury-sessions/${juryA}/interns/${bIntern.id}/portfolio`)).expect(404);
    const traces = (await as(a.tutor.token, api.http.get('/api/traces')).expect(200)).body;
    expect(traces.total).toBe(0);
    await as(a.tutor.token, api.http.post(`/api/portfolios/${a.intern.user.id}/exports`)).send({ format: 'pdf', scope: 'validated' }).expect(404);
  });

  it('lets B’s intern, tutor and jury read it under B’s rules, marked « validé à » A, stamps intact', async () => {
    const intern = await login(api.http, a.intern.email);
    const mine = (await as(intern, api.http.get('/api/traces')).expect(200)).body;
    expect(mine.items.map((t: { id: string }) => t.id).sort()).toEqual([validated.id, draftId].sort());
    const moved = mine.items.find((t: { id: string }) => t.id === validated.id);
    expect(moved.origin).toEqual({ facultyId: facultyA, facultyName: facultyAName, validatedByName: 'Amélie Tutrice-A' });
    // The draft being written goes on being written, in B.
    const draft = (await as(intern, api.http.get(`/api/traces/${draftId}`)).expect(200)).body;
    expect(draft.origin).toEqual({ facultyId: facultyA, facultyName: facultyAName, validatedByName: null });
    await as(intern, api.http.patch(`/api/traces/${draftId}`)).set('If-Match', `"${draft.version}"`).send({ title: 'Brouillon continué à B' }).expect(200);

    // B's tutor: none before a tutorship here; then the validated trace, with its stamp.
    await as(b.tutor.token, api.http.get(`/api/traces/${validated.id}`)).expect(404);
    await as(b.admin.token, api.http.post('/api/tutorships')).send({ tutorId: b.tutor.user.id, internId: bIntern.id }).expect(201);
    const read = (await as(b.tutor.token, api.http.get(`/api/traces/${validated.id}`)).expect(200)).body;
    expect(read).toMatchObject({ status: 'validated', validatedBy: a.tutor.user.id, validatedAt: validated.validatedAt, validatedSha256: validated.sha256 });
    expect(read.origin.validatedByName).toBe('Amélie Tutrice-A');
    expect(sha256Hex(canonicalJson(read.content))).toBe(validated.sha256);
    const revisions = (await as(b.tutor.token, api.http.get(`/api/traces/${validated.id}/revisions`)).expect(200)).body;
    expect(revisions.map((r: { sha256: string }) => r.sha256)).toContain(validated.sha256);
    const comments = (await as(b.tutor.token, api.http.get(`/api/traces/${validated.id}/comments`)).expect(200)).body;
    expect(comments.map((c: { author: { displayName: string }; body: string }) => [c.author.displayName, c.body])).toEqual([['Amélie Tutrice-A', 'Bien analysé']]);
    await as(b.tutor.token, api.http.get(`/api/attachments/${attachmentId}`)).expect(404); // a draft's file: its author's only
    await as(intern, api.http.get(`/api/attachments/${attachmentId}`)).expect(200); // storage key still valid

    const assessments = (await as(b.tutor.token, api.http.get(`/api/portfolios/${bIntern.id}/assessments`)).expect(200)).body;
    expect(assessments).toHaveLength(1);
    expect(assessments[0]).toMatchObject({ phase: 'socle', tutor: { id: a.tutor.user.id, displayName: 'Amélie Tutrice-A' }, origin: { facultyId: facultyA, facultyName: facultyAName } });

    // B's jury, on a session of B's, judging by B's rules (a new faculty's start as the defaults).
    const socle = (await as(b.admin.token, api.http.get('/api/requirements')).expect(200)).body.find((r: { phase: string }) => r.phase === 'socle');
    expect(socle.version).toBe(1);
    const session = (
      await as(b.admin.token, api.http.post('/api/jury-sessions'))
        .send({ title: 'Commission B', phase: 'socle', opensAt: new Date(Date.now() - 3600_000).toISOString(), closesAt: new Date(Date.now() + 86400_000).toISOString(), memberIds: [b.jury.user.id], internIds: [bIntern.id] })
        .expect(201)
    ).body;
    const dossier = (await as(b.jury.token, api.http.get(`/api/jury-sessions/${session.id}/interns/${bIntern.id}/portfolio`)).expect(200)).body;
    expect(dossier.traces.map((t: { id: string; origin?: { facultyName: string } }) => [t.id, t.origin?.facultyName])).toEqual([[validated.id, facultyAName]]);
    expect(dossier.traces[0]).toMatchObject({ validatedBy: a.tutor.user.id, validatedSha256: validated.sha256, origin: { validatedByName: 'Amélie Tutrice-A' } });
    const juryRead = (await as(b.jury.token, api.http.get(`/api/traces/${validated.id}`)).expect(200)).body;
    expect(sha256Hex(canonicalJson(juryRead.content))).toBe(validated.sha256);

    // The stage and the decision came too (the decision on a closed copy of A's session).
    expect(await api.dataSource.query(`SELECT faculty_id, origin_faculty_id FROM stage WHERE intern_id = $1`, [bIntern.id])).toEqual([{ faculty_id: facultyB, origin_faculty_id: facultyA }]);
    const [decision] = await api.dataSource.query(
      `SELECT d.faculty_id, s.faculty_id AS session_faculty, s.origin_faculty_id, s.title, s.closes_at <= now() AS closed FROM jury_decision d JOIN jury_session s ON s.id = d.session_id WHERE d.intern_id = $1`,
      [bIntern.id],
    );
    expect(decision).toEqual({ faculty_id: facultyB, session_faculty: facultyB, origin_faculty_id: facultyA, title: 'Commission A', closed: true });
    const meetings = (await as(intern, api.http.get(`/api/portfolios/${bIntern.id}/meetings`)).expect(200)).body;
    expect(JSON.stringify(meetings)).toContain('Le point');
  });

  it('gives A’s people nothing of B’s, and B’s people nothing else of A’s', async () => {
    // A's tutor, jury and admin: no row of the portfolio in A's scope, by row-level security alone.
    const seenByA = await Tenancy.run({ facultyId: facultyA }, () =>
      api.dataSource.query(`SELECT (SELECT count(*) FROM trace)::int AS traces, (SELECT count(*) FROM trace_comment)::int AS comments, (SELECT count(*) FROM assessment)::int AS assessments`),
    );
    expect(seenByA).toEqual([{ traces: 0, comments: 0, assessments: 0 }]);
    // B's scope sees A's people only as the names kept.
    const seenByB = await Tenancy.run({ facultyId: facultyB }, () =>
      api.dataSource.query(`SELECT (SELECT count(*) FROM app_user WHERE faculty_id = $1)::int AS people, (SELECT count(*) FROM portfolio_transfer_person)::int AS names`, [facultyA]),
    );
    expect(seenByB[0].people).toBe(0);
    expect(seenByB[0].names).toBeGreaterThanOrEqual(2); // A's tutor and jury member
    await as(b.admin.token, api.http.get(`/api/admin/users/${a.tutor.user.id}`)).expect(404);
  });

  it('records the acceptance in both faculties’ logs, and in no other', async () => {
    const [{ id }] = await api.dataSource.query(`SELECT id FROM portfolio_transfer WHERE from_intern_id = $1`, [a.intern.user.id]);
    const inA = await auditOf(a.admin.token, 'portfolio.transfer.accepted');
    const inB = await auditOf(b.admin.token, 'portfolio.transfer.accepted');
    expect(inA.map((e) => e.subjectId)).toEqual([id]);
    expect(inB.map((e) => e.subjectId)).toEqual([id]);
    expect(inA[0].details).toMatchObject({ toFacultyId: facultyB, moved: { traces: 2 } });
    expect(await auditOf(cAdmin, 'portfolio.transfer.accepted')).toEqual([]);
    // A's history of the portfolio stays in A's log.
    expect((await auditOf(a.admin.token, 'trace.validated')).map((e) => e.subjectId)).toContain(validated.id);
  });
});

describe('a transfer decided otherwise', () => {
  it('moves nothing when an accept races a cancel: exactly one of them wins', async () => {
    const other = await internInBoth();
    const { id } = (await release(other.a.user.id)).body;
    const [accept, cancel] = await Promise.all([
      as(b.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/accept`)).send({}),
      as(a.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/cancel`)).send({}),
    ]);
    expect([accept.status, cancel.status].sort()).toEqual([200, 409]);
    const [{ faculty_id: where }] = await api.dataSource.query(`SELECT faculty_id FROM trace WHERE intern_id IN ($1, $2)`, [other.a.user.id, other.bId]);
    const [{ status }] = await api.dataSource.query(`SELECT status FROM portfolio_transfer WHERE id = $1`, [id]);
    expect(where).toBe(accept.status === 200 ? facultyB : facultyA);
    expect(status).toBe(accept.status === 200 ? 'accepted' : 'cancelled');
    const action = accept.status === 200 ? 'portfolio.transfer.accepted' : 'portfolio.transfer.cancelled';
    for (const token of [a.admin.token, b.admin.token]) expect((await auditOf(token, action)).map((e) => e.subjectId)).toContain(id);
  });

  it('refused: the portfolio stays, A sees why, both logs record it; then A may release it again', async () => {
    const other = await internInBoth();
    const { id } = (await release(other.a.user.id)).body;
    const refused = await as(b.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/refuse`)).send({ reason: 'Inscription non confirmée' }).expect(200);
    expect(refused.body).toMatchObject({ status: 'refused', reason: 'Inscription non confirmée' });
    await as(b.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/accept`)).send({}).expect(409);
    const outgoing = (await as(a.admin.token, api.http.get('/api/admin/portfolio-transfers')).query({ direction: 'outgoing', status: 'refused' }).expect(200)).body;
    expect(outgoing.items.map((t: { id: string; reason: string }) => [t.id, t.reason])).toEqual([[id, 'Inscription non confirmée']]);
    expect(await api.dataSource.query(`SELECT faculty_id FROM trace WHERE intern_id = $1`, [other.a.user.id])).toEqual([{ faculty_id: facultyA }]);
    for (const token of [a.admin.token, b.admin.token]) expect((await auditOf(token, 'portfolio.transfer.refused')).map((e) => e.subjectId)).toContain(id);
    await as(other.a.token, api.http.get('/api/me')).expect(200); // still A's intern
    const again = await release(other.a.user.id);
    expect(again.status).toBe(201);
    const cancelled = await as(a.admin.token, api.http.post(`/api/admin/portfolio-transfers/${again.body.id}/cancel`)).send({}).expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    await as(a.admin.token, api.http.post(`/api/admin/portfolio-transfers/${again.body.id}/cancel`)).send({}).expect(409);
    for (const token of [a.admin.token, b.admin.token]) expect((await auditOf(token, 'portfolio.transfer.cancelled')).map((e) => e.subjectId)).toContain(again.body.id);
  });

  it('asks B to create the intern first when B has no row of that person (409)', async () => {
    const lonely = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', facultyId: facultyA });
    const { id } = (await release(lonely.user.id)).body;
    const offer = (await as(b.admin.token, api.http.get('/api/admin/portfolio-transfers')).query({ status: 'pending' }).expect(200)).body.items.find((t: { id: string }) => t.id === id);
    expect(offer.toInternId).toBeNull();
    const refused = await as(b.admin.token, api.http.post(`/api/admin/portfolio-transfers/${id}/accept`)).send({});
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(lonely.email);
  });

  it('seals the transfer rows to their two faculties', async () => {
    const [{ total }] = await api.dataSource.query(`SELECT count(*)::int AS total FROM portfolio_transfer`);
    const count = (facultyId: string) => Tenancy.run({ facultyId }, () => api.dataSource.query(`SELECT count(*)::int AS n FROM portfolio_transfer`));
    expect(await count(facultyA)).toEqual([{ n: total }]);
    expect(await count(facultyB)).toEqual([{ n: total }]);
    const [{ id: facultyC }] = await api.dataSource.query(`SELECT id FROM faculty WHERE code = 'faculte-c'`);
    expect(await count(facultyC)).toEqual([{ n: 0 }]);
    // B cannot write a release of A's intern, whatever its statement says.
    await expect(
      Tenancy.run({ facultyId: facultyB }, () =>
        api.dataSource.query(`INSERT INTO portfolio_transfer (from_faculty_id, to_faculty_id, from_intern_id, intern_email, intern_name, released_by) VALUES ($1, $2, $3, 'x', 'x', $4)`, [
          facultyA,
          facultyB,
          a.admin.user.id,
          b.admin.user.id,
        ]),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
