import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

let api: TestApp;
let admin: Actor;
let intern: Actor;
let former: Actor;
let tutor: Actor;
let jury: Actor;
let stranger: Actor;

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const daysAgo = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() - days * 86_400_000));
const meeting = (heldOn: string, discussed = 'Le premier RSCA et la gestion du temps en consultation.') => ({ heldOn, discussed, nextObjectives: 'Rédiger un RSCA sur une situation de soins palliatifs.' });

beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026, firstName: 'Théo' });
  former = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Ancien' });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Jean' });
  jury = await actor(api.http, api.dataSource, { roles: ['jury'], upp: 'montpellier' });
  stranger = await actor(api.http, api.dataSource, { roles: ['tutor', 'intern'], upp: 'nimes' });
});
afterAll(() => api.close());

const list = async (who: Actor, internId = intern.user.id) => (await api.http.get(`/api/portfolios/${internId}/meetings`).set('Authorization', who.bearer).expect(200)).body;
const audited = async (action: string, subjectId: string) =>
  (await api.dataSource.query(`SELECT actor_id AS "actorId", details FROM audit_log WHERE action = $1 AND subject_id = $2 ORDER BY id`, [action, subjectId])) as { actorId: string; details: Record<string, unknown> }[];

describe('tutor meetings', () => {
  let formerMeetingId: string;

  it('are recorded while a tutorship runs and stay with it, read-only, once it ends', async () => {
    // The intern without a tutor has nothing to attach a meeting to.
    const none = await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', intern.bearer).send(meeting(daysAgo(60))).expect(409);
    expect(none.body.detail).toBe('Vous n’avez pas de tuteur actif : une rencontre de tutorat se rattache au tutorat en cours.');

    const first = await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: former.user.id, internId: intern.user.id }).expect(201);
    const created = await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', former.bearer).send(meeting(daysAgo(60), 'Ancien tutorat.')).expect(201);
    formerMeetingId = created.body.id;
    await api.http.post(`/api/tutorships/${first.body.id}/end`).set('Authorization', admin.bearer).send({ reason: 'Changement de tuteur' }).expect(200);
    await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);

    // The former tutor reads the meetings of their tutorship, and can no longer write or confirm.
    const seen = await list(former);
    expect(seen.items.map((m: { discussed: string }) => m.discussed)).toEqual(['Ancien tutorat.']);
    expect(seen.items[0]).toMatchObject({ state: 'awaiting_intern', canEdit: false, canConfirm: false });
    await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', former.bearer).send(meeting(today())).expect(403);
    await api.http.patch(`/api/meetings/${formerMeetingId}`).set('Authorization', former.bearer).send({ discussed: 'Réécrit.' }).expect(403);
    // Nor can the intern confirm a meeting of a tutorship that has ended.
    await api.http.post(`/api/meetings/${formerMeetingId}/confirm`).set('Authorization', intern.bearer).expect(403);
    expect(await audited('portfolio.read', intern.user.id)).toContainEqual({ actorId: former.user.id, details: { what: 'meetings', as: 'former_tutor' } });
  });

  it('refuse anonymous callers, strangers and bad input before anything is written', async () => {
    await api.http.get(`/api/portfolios/${intern.user.id}/meetings`).expect(401);
    await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).send(meeting(today())).expect(401);
    await api.http.get(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', stranger.bearer).expect(404);
    await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', stranger.bearer).send(meeting(today())).expect(404);
    await api.http.post(`/api/meetings/${formerMeetingId}/confirm`).set('Authorization', stranger.bearer).expect(404);
    await api.http.patch(`/api/meetings/${formerMeetingId}`).set('Authorization', stranger.bearer).send({ discussed: 'x' }).expect(404);
    // The new tutor reads the intern's earlier meetings, but writes only in their own tutorship.
    await api.http.patch(`/api/meetings/${formerMeetingId}`).set('Authorization', tutor.bearer).send({ discussed: 'x' }).expect(403);
    // Admins and jury members read; they do not record meetings.
    await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', admin.bearer).send(meeting(today())).expect(403);
    await api.http.get(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', jury.bearer).expect(404);
    await api.http.get('/api/portfolios/not-a-uuid/meetings').set('Authorization', intern.bearer).expect(400);
    await api.http.get(`/api/meetings/${formerMeetingId}/confirm`).set('Authorization', intern.bearer).expect(404);

    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + 2 * 86_400_000));
    const future = await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', tutor.bearer).send(meeting(tomorrow)).expect(422);
    expect(future.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(future.body).toMatchObject({ detail: 'La rencontre de tutorat est invalide.', errors: [{ path: 'heldOn', message: 'la rencontre ne peut pas être datée dans le futur' }] });
    const bad = await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', tutor.bearer).send({ heldOn: '30/11/2026', discussed: 'x'.repeat(10_001) }).expect(422);
    expect(bad.body.errors).toEqual([
      { path: 'heldOn', message: 'date invalide : une date AAAA-MM-JJ est attendue' },
      { path: 'discussed', message: '10 000 caractères au plus' },
      { path: 'nextObjectives', message: 'requis' },
    ]);
    const impossible = await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', tutor.bearer).send(meeting('2026-02-30')).expect(422);
    expect(impossible.body.errors).toEqual([{ path: 'heldOn', message: 'date invalide : une date AAAA-MM-JJ est attendue' }]);
    await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', tutor.bearer).send({ ...meeting(today()), discussed: '   ' }).expect(422);
    expect((await list(intern)).items).toHaveLength(1);
  });

  it('are co-signed when the other party confirms, editable until then, immutable after, and counted in progress', async () => {
    const created = await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', tutor.bearer).send(meeting(daysAgo(3))).expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ heldOn: daysAgo(3), state: 'awaiting_intern', internConfirmedAt: null, canEdit: true, canConfirm: false, tutor: { id: tutor.user.id } });
    expect(created.body.tutorConfirmedAt).not.toBeNull();
    // The tutor's own confirmation was given by recording it.
    await api.http.post(`/api/meetings/${id}/confirm`).set('Authorization', tutor.bearer).expect(409);

    // The intern corrects the account: their confirmation replaces the tutor's, who must confirm the new text.
    const edited = await api.http.patch(`/api/meetings/${id}`).set('Authorization', intern.bearer).send({ nextObjectives: 'Deux RSCA avant la fin du semestre.' }).expect(200);
    expect(edited.body).toMatchObject({ state: 'awaiting_tutor', tutorConfirmedAt: null, nextObjectives: 'Deux RSCA avant la fin du semestre.', canConfirm: false });
    await api.http.patch(`/api/meetings/${id}`).set('Authorization', intern.bearer).send({ heldOn: 'hier' }).expect(422);
    expect((await api.http.get(`/api/portfolios/${intern.user.id}/progress`).set('Authorization', intern.bearer).expect(200)).body.meetings).toEqual({ coSigned: 0, last12Months: 0 });

    const confirmed = await api.http.post(`/api/meetings/${id}/confirm`).set('Authorization', tutor.bearer).expect(200);
    expect(confirmed.body).toMatchObject({ state: 'co_signed', canEdit: false, canConfirm: false });
    expect(confirmed.body.internConfirmedAt).not.toBeNull();
    expect(confirmed.body.tutorConfirmedAt).not.toBeNull();

    const late = await api.http.patch(`/api/meetings/${id}`).set('Authorization', intern.bearer).send({ discussed: 'Autre chose.' }).expect(409);
    expect(late.body.detail).toBe('Cette rencontre est cosignée par l’interne et le tuteur : elle ne peut plus être modifiée.');
    await api.http.post(`/api/meetings/${id}/confirm`).set('Authorization', intern.bearer).expect(409);
    // The table holds it too, whoever writes.
    await expect(api.dataSource.query(`UPDATE tutor_meeting SET discussed = 'x' WHERE id = $1`, [id])).rejects.toThrow(/immutable/);

    const seen = await list(intern);
    expect(seen).toMatchObject({ coSigned: 1, last12Months: 1 });
    expect(seen.items.map((m: { id: string; state: string }) => [m.id, m.state])).toEqual([
      [id, 'co_signed'],
      [formerMeetingId, 'awaiting_intern'],
    ]);
    const progress = await api.http.get(`/api/portfolios/${intern.user.id}/progress`).set('Authorization', tutor.bearer).expect(200);
    expect(progress.body.meetings).toEqual({ coSigned: 1, last12Months: 1 });

    expect(await audited('tutor_meeting.create', id)).toEqual([{ actorId: tutor.user.id, details: { internId: intern.user.id, as: 'tutor', heldOn: daysAgo(3) } }]);
    expect(await audited('tutor_meeting.update', id)).toEqual([{ actorId: intern.user.id, details: { internId: intern.user.id, as: 'intern', changed: ['nextObjectives'] } }]);
    expect(await audited('tutor_meeting.confirm', id)).toEqual([{ actorId: tutor.user.id, details: { internId: intern.user.id, as: 'tutor', coSigned: true } }]);
  });

  it('are read by an admin and by a jury member while their session on the intern is open', async () => {
    expect((await list(admin)).items).toHaveLength(2);
    const hour = 3600_000;
    await api.http
      .post('/api/jury-sessions')
      .set('Authorization', admin.bearer)
      .send({ title: 'Commission socle', phase: 'socle', opensAt: new Date(Date.now() - hour).toISOString(), closesAt: new Date(Date.now() + hour).toISOString(), memberIds: [jury.user.id], internIds: [intern.user.id] })
      .expect(201);
    const seen = await list(jury);
    expect(seen.items.every((m: { canEdit: boolean; canConfirm: boolean }) => !m.canEdit && !m.canConfirm)).toBe(true);
    await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', jury.bearer).send(meeting(today())).expect(403);
    const reads = await audited('portfolio.read', intern.user.id);
    expect(reads).toContainEqual({ actorId: jury.user.id, details: { what: 'meetings', as: 'jury' } });
    expect(reads).toContainEqual({ actorId: admin.user.id, details: { what: 'meetings', as: 'admin' } });
    // The intern reading their own meetings is not an audited access.
    expect(reads.filter((r) => r.actorId === intern.user.id)).toEqual([]);
  });
});
