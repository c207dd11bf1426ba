import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

let api: TestApp;
let admin: Actor;
let lead: Actor;
let otherLead: Actor;
let tutor: Actor;
let interns: Actor[];
let outsider: Actor;

const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + offset * 86_400_000));

beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  lead = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'beziers', firstName: 'Bernard', lastName: 'Animateur' });
  otherLead = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'beziers' });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'beziers', firstName: 'Tom' });
  interns = [];
  for (let i = 0; i < 7; i++) interns.push(await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'beziers', promotion: 2026, firstName: `Interne${i}`, lastName: `N${i}` }));
  outsider = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'beziers', promotion: 2026 });
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: interns[0].user.id }).expect(201);
});
afterAll(() => api.close());

const group = (internIds: string[], leadId = lead.user.id) => ({ title: 'GEPT Béziers — groupe A', year: 2026, leadId, internIds });

async function gept(who: Actor, title: string, status?: 'submit') {
  const trace = await api.http.post('/api/traces').set('Authorization', who.bearer).send({ kind: 'gept', title, competences: [], familles: [], content: paragraph(`Compte rendu : ${title}`) }).expect(201);
  if (status) await api.http.post(`/api/traces/${trace.body.id}/submit`).set('Authorization', who.bearer).expect(200);
  return trace.body.id as string;
}

describe('GEPT groups', () => {
  let groupId: string;
  let meetingId: string;
  let otherMeetingId: string;

  it('are formed by the admin with an MSU lead and six to ten interns, one group a year each', async () => {
    await api.http.post('/api/gept-groups').send(group([])).expect(401);
    await api.http.post('/api/gept-groups').set('Authorization', lead.bearer).send(group(interns.map((i) => i.user.id))).expect(403);
    const small = await api.http.post('/api/gept-groups').set('Authorization', admin.bearer).send(group(interns.slice(0, 5).map((i) => i.user.id))).expect(422);
    expect(small.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(small.body).toMatchObject({ detail: 'Le groupe GEPT est invalide.', errors: [{ path: 'internIds', message: 'un groupe réunit de 6 à 10 internes' }] });
    const notMsu = await api.http.post('/api/gept-groups').set('Authorization', admin.bearer).send(group(interns.slice(0, 6).map((i) => i.user.id), interns[6].user.id)).expect(422);
    expect(notMsu.body.errors).toEqual([{ path: 'leadId', message: 'un MSU (rôle tuteur) anime le groupe' }]);

    const created = await api.http.post('/api/gept-groups').set('Authorization', admin.bearer).send(group(interns.slice(0, 6).map((i) => i.user.id))).expect(201);
    groupId = created.body.id;
    expect(created.body).toMatchObject({ title: 'GEPT Béziers — groupe A', year: 2026, lead: { id: lead.user.id, displayName: 'Bernard Animateur' }, meetings: [], canManage: false });
    expect(created.body.members).toHaveLength(6);

    const twice = await api.http.post('/api/gept-groups').set('Authorization', admin.bearer).send(group([...interns.slice(1, 6), interns[6]].map((i) => i.user.id), otherLead.user.id)).expect(409);
    expect(twice.body.detail).toMatch(/^Déjà membres d’un groupe GEPT cette année : Interne1 N1/);
    // The other lead's group, with the seventh intern and others of another year.
    const others = [interns[6], outsider];
    for (let i = 0; i < 4; i++) others.push(await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'beziers', promotion: 2026 }));
    const other = await api.http.post('/api/gept-groups').set('Authorization', admin.bearer).send(group(others.map((i) => i.user.id), otherLead.user.id)).expect(201);
    const added = await api.http.post(`/api/gept-groups/${other.body.id}/meetings`).set('Authorization', otherLead.bearer).send({ heldOn: day(-3), cases: ['Un cas'] }).expect(201);
    otherMeetingId = added.body.meetings[0].id;
  });

  it('meet with their cases, kept by the lead alone; nobody outside the group sees them', async () => {
    await api.http.post(`/api/gept-groups/${groupId}/meetings`).set('Authorization', otherLead.bearer).send({ heldOn: day(-7), cases: [] }).expect(404);
    await api.http.post(`/api/gept-groups/${groupId}/meetings`).set('Authorization', interns[0].bearer).send({ heldOn: day(-7), cases: [] }).expect(403);
    const bad = await api.http.post(`/api/gept-groups/${groupId}/meetings`).set('Authorization', lead.bearer).send({ heldOn: '07/12/2026', cases: [''] }).expect(422);
    expect(bad.body.errors).toEqual([
      { path: 'heldOn', message: 'date invalide : une date AAAA-MM-JJ est attendue' },
      { path: 'cases.0', message: 'texte requis' },
    ]);
    const added = await api.http
      .post(`/api/gept-groups/${groupId}/meetings`)
      .set('Authorization', lead.bearer)
      .send({ heldOn: day(-7), cases: ['Refus de vaccination chez un nourrisson', 'Arrêt de travail demandé sans examen'] })
      .expect(201);
    meetingId = added.body.meetings[0].id;
    expect(added.body).toMatchObject({ canManage: true, meetings: [{ heldOn: day(-7), cases: ['Refus de vaccination chez un nourrisson', 'Arrêt de travail demandé sans examen'], linkedTraces: 0 }] });
    await api.http.patch(`/api/gept-meetings/${meetingId}`).set('Authorization', lead.bearer).send({ cases: ['Refus de vaccination chez un nourrisson', 'Arrêt de travail demandé sans examen', 'Certificat de sport'] }).expect(200);

    await api.http.get(`/api/gept-groups/${groupId}`).set('Authorization', outsider.bearer).expect(404);
    await api.http.get(`/api/gept-groups/${groupId}`).set('Authorization', otherLead.bearer).expect(404);
    await api.http.get(`/api/gept-groups/${groupId}`).set('Authorization', tutor.bearer).expect(404);
    await api.http.get('/api/gept-groups/not-a-uuid').set('Authorization', lead.bearer).expect(400);
    const mine = await api.http.get('/api/gept-groups').set('Authorization', lead.bearer).expect(200);
    expect(mine.body).toMatchObject({ total: 1, items: [{ id: groupId, members: 6, meetings: 1 }] });
    expect((await api.http.get('/api/gept-groups').set('Authorization', outsider.bearer).expect(200)).body.items.map((g: { id: string }) => g.id)).not.toContain(groupId);
  });

  it('have their attendance ticked by the lead; an intern sees only their own', async () => {
    await api.http.put(`/api/gept-meetings/${meetingId}/attendance/${interns[0].user.id}`).set('Authorization', otherLead.bearer).send({ present: true }).expect(404);
    await api.http.put(`/api/gept-meetings/${meetingId}/attendance/${interns[0].user.id}`).set('Authorization', interns[0].bearer).send({ present: true }).expect(403);
    await api.http.put(`/api/gept-meetings/${meetingId}/attendance/${outsider.user.id}`).set('Authorization', lead.bearer).send({ present: true }).expect(404);
    await api.http.put(`/api/gept-meetings/${meetingId}/attendance/${interns[0].user.id}`).set('Authorization', lead.bearer).send({ present: 'oui' }).expect(422);
    for (const [i, present] of [[0, true], [1, true], [2, false]] as const) {
      await api.http.put(`/api/gept-meetings/${meetingId}/attendance/${interns[i].user.id}`).set('Authorization', lead.bearer).send({ present }).expect(200);
    }
    const corrected = await api.http.put(`/api/gept-meetings/${meetingId}/attendance/${interns[1].user.id}`).set('Authorization', lead.bearer).send({ present: false }).expect(200);
    expect(corrected.body.attendance.find((a: { internId: string }) => a.internId === interns[1].user.id)).toEqual({ internId: interns[1].user.id, present: false });

    const byLead = (await api.http.get(`/api/gept-groups/${groupId}`).set('Authorization', lead.bearer).expect(200)).body;
    expect(byLead.attendance.find((a: { internId: string }) => a.internId === interns[0].user.id)).toEqual({ internId: interns[0].user.id, present: 1, absent: 0, unmarked: 0 });
    expect(byLead.attendance.filter((a: { unmarked: number }) => a.unmarked === 1)).toHaveLength(3);
    const byIntern = (await api.http.get(`/api/gept-groups/${groupId}`).set('Authorization', interns[2].bearer).expect(200)).body;
    expect(byIntern.attendance).toEqual([{ internId: interns[2].user.id, present: 0, absent: 1, unmarked: 0 }]);
    expect(byIntern.meetings[0].attendance).toEqual([{ internId: interns[2].user.id, present: false }]);
    expect(byIntern.canManage).toBe(false);
    const audit = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'gept_attendance.mark' AND actor_id = $1`, [lead.user.id]);
    expect(audit[0].n).toBe(4);
  });

  it('show the lead the gept traces linked to a meeting of their group, read-only, and nothing else', async () => {
    const submitted = await gept(interns[0], 'GEPT de décembre', 'submit');
    const draft = await gept(interns[1], 'Brouillon de GEPT');
    const rsca = (await api.http.post('/api/traces').set('Authorization', interns[0].bearer).send({ kind: 'rsca', title: 'Un RSCA', competences: [], familles: [], content: paragraph('x') }).expect(201)).body.id;
    const outsiders = await gept(interns[6], 'GEPT de l’autre groupe', 'submit');

    await api.http.put(`/api/traces/${submitted}/gept-meeting`).send({ meetingId }).expect(401);
    await api.http.put(`/api/traces/${submitted}/gept-meeting`).set('Authorization', interns[1].bearer).send({ meetingId }).expect(404);
    const notGept = await api.http.put(`/api/traces/${rsca}/gept-meeting`).set('Authorization', interns[0].bearer).send({ meetingId }).expect(422);
    expect(notGept.body.detail).toBe('Seul un compte rendu de GEPT se rattache à une séance.');
    const foreign = await api.http.put(`/api/traces/${outsiders}/gept-meeting`).set('Authorization', interns[6].bearer).send({ meetingId }).expect(422);
    expect(foreign.body.errors).toEqual([{ path: 'meetingId', message: 'séance d’un autre groupe' }]);
    await api.http.put(`/api/traces/${submitted}/gept-meeting`).set('Authorization', interns[0].bearer).send({ meetingId: 'x' }).expect(422);

    expect((await api.http.put(`/api/traces/${submitted}/gept-meeting`).set('Authorization', interns[0].bearer).send({ meetingId }).expect(200)).body).toEqual({ traceId: submitted, meetingId });
    await api.http.put(`/api/traces/${draft}/gept-meeting`).set('Authorization', interns[1].bearer).send({ meetingId }).expect(200);
    await api.http.put(`/api/traces/${outsiders}/gept-meeting`).set('Authorization', interns[6].bearer).send({ meetingId: otherMeetingId }).expect(200);

    const read = await api.http.get(`/api/gept-meetings/${meetingId}/traces`).set('Authorization', lead.bearer).expect(200);
    // The submitted trace of the group's meeting; not the draft, not the other group's.
    expect(read.body.items).toEqual([
      { id: submitted, intern: { id: interns[0].user.id, displayName: 'Interne0 N0' }, title: 'GEPT de décembre', status: 'submitted', content: paragraph('Compte rendu : GEPT de décembre'), submittedAt: expect.any(String), validatedAt: null },
    ]);
    expect((await api.dataSource.query(`SELECT details FROM audit_log WHERE action = 'gept_traces.read' AND actor_id = $1`, [lead.user.id]))[0].details).toEqual({ meetingId, traceIds: [submitted] });
    await api.http.get(`/api/gept-meetings/${otherMeetingId}/traces`).set('Authorization', lead.bearer).expect(404);
    await api.http.get(`/api/gept-meetings/${meetingId}/traces`).set('Authorization', otherLead.bearer).expect(404);
    await api.http.get(`/api/gept-meetings/${meetingId}/traces`).set('Authorization', tutor.bearer).expect(404);
    await api.http.get(`/api/gept-meetings/${meetingId}/traces`).set('Authorization', interns[0].bearer).expect(403);
    // The lead reads the trace itself too (the access rule's `gept_lead`), audited like a tutor's read; reviewing it stays the tutor's.
    expect((await api.http.get(`/api/traces/${submitted}`).set('Authorization', lead.bearer).expect(200)).body).toMatchObject({ id: submitted, title: 'GEPT de décembre' });
    expect((await api.dataSource.query(`SELECT details FROM audit_log WHERE action = 'trace.read' AND actor_id = $1 AND subject_id = $2`, [lead.user.id, submitted]))[0].details).toEqual({ as: 'gept_lead' });
    const refused = await api.http.post(`/api/traces/${submitted}/validate`).set('Authorization', lead.bearer).send({}).expect(403);
    expect(refused.body.detail).toBe('Seul le tuteur actif de l’interne peut relire ses traces.');
    await api.http.post(`/api/traces/${submitted}/request-changes`).set('Authorization', lead.bearer).send({ comment: 'À reprendre' }).expect(403);
    await api.http.get(`/api/traces/${draft}`).set('Authorization', lead.bearer).expect(404);
    // The tutor still reviews it as any trace.
    await api.http.post(`/api/traces/${submitted}/validate`).set('Authorization', tutor.bearer).send({}).expect(200);
    const group = (await api.http.get(`/api/gept-groups/${groupId}`).set('Authorization', lead.bearer).expect(200)).body;
    expect(group.meetings[0].linkedTraces).toBe(1);

    // Unlinked, it leaves the lead's view.
    await api.http.put(`/api/traces/${submitted}/gept-meeting`).set('Authorization', interns[0].bearer).send({ meetingId: null }).expect(200);
    expect((await api.http.get(`/api/gept-meetings/${meetingId}/traces`).set('Authorization', lead.bearer).expect(200)).body.items).toEqual([]);
    await api.http.get(`/api/traces/${submitted}`).set('Authorization', lead.bearer).expect(404);
  });

  it('let the lead comment on a submitted write-up of their group’s meeting beside the tutor, and on nothing else', async () => {
    const linked = async (who: Actor, title: string, meeting = meetingId, submit = true) => {
      const id = await gept(who, title, submit ? 'submit' : undefined);
      await api.http.put(`/api/traces/${id}/gept-meeting`).set('Authorization', who.bearer).send({ meetingId: meeting }).expect(200);
      return id;
    };
    const comment = (who: Actor, id: string, body: object = { body: 'Bien vu, le refus vaccinal.' }) => api.http.post(`/api/traces/${id}/comments`).set('Authorization', who.bearer).send(body);

    const writeUp = await linked(interns[0], 'GEPT de janvier');
    await comment(lead, writeUp).expect(201);
    const anchored = await comment(lead, writeUp, { body: 'Quelle source pour ce point ?', anchor: { from: 1, to: 14, quote: 'Compte rendu' } }).expect(201);
    expect(anchored.body).toMatchObject({ author: { id: lead.user.id, displayName: 'Bernard Animateur' }, anchor: { from: 1, to: 14, quote: 'Compte rendu' }, revision: 1 });
    await comment(tutor, writeUp, { body: 'D’accord avec l’animateur.', parentId: anchored.body.id }).expect(201);
    await comment(interns[0], writeUp, { body: 'Merci, je complète.' }).expect(201);
    // The intern reads the lead's comments beside the tutor's; the lead reads the whole conversation.
    const thread = (await api.http.get(`/api/traces/${writeUp}/comments`).set('Authorization', interns[0].bearer).expect(200)).body;
    expect(thread.map((c: { author: { id: string } }) => c.author.id)).toEqual([lead.user.id, lead.user.id, tutor.user.id, interns[0].user.id]);
    expect((await api.http.get(`/api/traces/${writeUp}/comments`).set('Authorization', lead.bearer).expect(200)).body).toHaveLength(4);
    await api.http.post(`/api/comments/${anchored.body.id}/resolve`).set('Authorization', lead.bearer).expect(200);
    const audited = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'comment.created' AND actor_id = $1 AND subject_id = $2`, [lead.user.id, writeUp]);
    expect(audited[0].n).toBe(2);
    // A lead's comment does not make them a reviewer of the trace (that is a tutor's tie).
    expect(await api.dataSource.query(`SELECT 1 FROM trace_reviewer WHERE trace_id = $1 AND tutor_id = $2`, [writeUp, lead.user.id])).toEqual([]);
    // Validation stays the tutor's.
    await api.http.post(`/api/traces/${writeUp}/validate`).set('Authorization', lead.bearer).send({}).expect(403);

    // A draft linked to the meeting: not the lead's to see.
    const draft = await linked(interns[3], 'Brouillon de janvier', meetingId, false);
    await comment(lead, draft).expect(404);
    // A non-gept trace of a member, even linked to the meeting behind the API's back.
    const rsca = (await api.http.post('/api/traces').set('Authorization', interns[3].bearer).send({ kind: 'rsca', title: 'Un RSCA', competences: [], familles: [], content: paragraph('x') }).expect(201)).body.id;
    await api.http.post(`/api/traces/${rsca}/submit`).set('Authorization', interns[3].bearer).expect(200);
    await api.dataSource.query(`UPDATE trace SET gept_meeting_id = $2 WHERE id = $1`, [rsca, meetingId]);
    await comment(lead, rsca).expect(404);
    await api.http.get(`/api/traces/${rsca}`).set('Authorization', lead.bearer).expect(404);
    // A write-up of the other group's meeting, for this lead; this group's, for the other lead, a tutor who is not the intern's, an intern of the group.
    const other = await linked(interns[6], 'GEPT de l’autre groupe, janvier', otherMeetingId);
    await comment(lead, other).expect(404);
    await comment(otherLead, writeUp).expect(404);
    await comment(otherLead, other).expect(201);
    const stranger = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'beziers' });
    await comment(stranger, writeUp).expect(404);
    await comment(interns[1], writeUp).expect(404);
    // Unlinked by the intern: out of the lead's reach.
    const unlinked = await linked(interns[4], 'GEPT dé-rattaché');
    await comment(lead, unlinked).expect(201);
    await api.http.put(`/api/traces/${unlinked}/gept-meeting`).set('Authorization', interns[4].bearer).send({ meetingId: null }).expect(200);
    await comment(lead, unlinked).expect(404);
    await api.http.get(`/api/traces/${unlinked}/comments`).set('Authorization', lead.bearer).expect(404);
    // An intern who left the group (no route removes a member yet: the rule is ready for it).
    const leaving = await linked(interns[5], 'GEPT avant départ');
    await comment(lead, leaving).expect(201);
    await api.dataSource.query(`DELETE FROM gept_group_member WHERE group_id = $1 AND intern_id = $2`, [groupId, interns[5].user.id]);
    await comment(lead, leaving).expect(404);
    await api.http.get(`/api/traces/${leaving}`).set('Authorization', lead.bearer).expect(404);
  });
});
