import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

let api: TestApp;
let admin: Actor;
let lead: Actor;
let interns: Actor[];

const NOTHING_ELSE = { kinds: {}, validatedTraces: 0, per: 'phase', minFamilles: 0, minCompetences: 0 };
const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + offset * 86_400_000));
const at = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const frDay = (iso: string) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso));
const MISSED_AT = at(-60 * 24 * 3);

beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'], upp: 'montpellier' });
  lead = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
  interns = [];
  for (let i = 0; i < 6; i++) interns.push(await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026 }));

  // A GEPT group: interns[0] present at the two meetings held, and ticked ahead for one planned.
  const group = await api.http.post('/api/gept-groups').set('Authorization', admin.bearer).send({ title: 'GEPT Montpellier', year: 2026, leadId: lead.user.id, internIds: interns.map((i) => i.user.id) }).expect(201);
  for (const [offset, present] of [[-14, true], [-7, true], [7, true]] as const) {
    const added = await api.http.post(`/api/gept-groups/${group.body.id}/meetings`).set('Authorization', lead.bearer).send({ heldOn: day(offset), cases: [] }).expect(201);
    const meeting = added.body.meetings.find((m: { heldOn: string }) => m.heldOn === day(offset));
    await api.http.put(`/api/gept-meetings/${meeting.id}/attendance/${interns[0].user.id}`).set('Authorization', lead.bearer).send({ present }).expect(200);
    await api.http.put(`/api/gept-meetings/${meeting.id}/attendance/${interns[1].user.id}`).set('Authorization', lead.bearer).send({ present: false }).expect(200);
  }

  // A mandatory socle seminar held three days ago, nobody ticked present.
  await api.http
    .post('/api/teaching-sessions')
    .set('Authorization', admin.bearer)
    .send({
      title: 'Séminaire UPM : soins palliatifs',
      kind: 'seminaire_upm',
      startsAt: MISSED_AT,
      endsAt: at(-60 * 24 * 3 + 180),
      place: 'Faculté de médecine',
      promotions: [2026],
      uppCodes: ['montpellier'],
      capacity: null,
      mandatory: true,
      phase: 'socle',
      leadId: lead.user.id,
    })
    .expect(201);
});
afterAll(() => api.close());

const progressOf = async (who: Actor) => (await api.http.get(`/api/portfolios/${who.user.id}/progress?phase=socle`).set('Authorization', who.bearer).expect(200)).body;
const setRules = (rules: object) => api.http.put('/api/admin/requirements/socle').set('Authorization', admin.bearer).send({ rules });

describe('the attendance requirements: GEPT meetings a year and the phase’s mandatory teaching', () => {
  it('are not asked by a version without them: it judges as before, the teaching still shown apart', async () => {
    await setRules(NOTHING_ELSE).expect(200);
    const progress = await progressOf(interns[0]);
    expect(progress).toMatchObject({ requirements: [], gaps: [], summary: 'Les exigences de la phase socle sont remplies.' });
    expect(progress.teaching.gaps).toEqual([`1 séminaire UPM obligatoire manqué : Séminaire UPM : soins palliatifs (${frDay(MISSED_AT)})`]);
  });

  it('are refused out of range (422), each field named', async () => {
    const bad = await setRules({ ...NOTHING_ELSE, geptMeetingsPerYear: 25, mandatoryTeaching: 'oui' }).expect(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['rules.geptMeetingsPerYear', 'rules.mandatoryTeaching']);
  });

  it('count the GEPT meetings held and attended, and name the mandatory sessions missed, in words', async () => {
    const saved = await setRules({ ...NOTHING_ELSE, geptMeetingsPerYear: 6, mandatoryTeaching: true }).expect(200);
    expect(saved.body.rules).toMatchObject({ geptMeetingsPerYear: 6, mandatoryTeaching: true });
    const missed = `1 séminaire UPM obligatoire manqué : Séminaire UPM : soins palliatifs (${frDay(MISSED_AT)})`;

    const present = await progressOf(interns[0]);
    // Two meetings held and attended; the planned one, ticked ahead, is not attended yet.
    expect(present.requirements).toEqual([
      { key: 'geptMeetings', label: 'Au moins 6 participations à un GEPT par an', target: 6, actual: 2, met: false },
      { key: 'mandatoryTeaching', label: 'Toutes les séances obligatoires de la phase', target: 1, actual: 0, met: false },
    ]);
    expect(present.gaps).toEqual(['4 participations à un GEPT', missed]);
    expect(present.summary).toBe(`Il manque 4 participations à un GEPT pour la phase socle ; ${missed}.`);

    const absent = await progressOf(interns[1]);
    expect(absent.requirements[0]).toMatchObject({ key: 'geptMeetings', actual: 0 });
    expect(absent.gaps[0]).toBe('6 participations à un GEPT');
  });

  it('are met once the rules are: an excused absence is no gap', async () => {
    await setRules({ ...NOTHING_ELSE, geptMeetingsPerYear: 2, mandatoryTeaching: true }).expect(200);
    const [{ id }] = await api.dataSource.query(`SELECT id FROM teaching_session WHERE title = 'Séminaire UPM : soins palliatifs'`);
    await api.http.put(`/api/teaching-sessions/${id}/absence`).set('Authorization', interns[0].bearer).send({ reason: 'Garde la veille' }).expect(200);
    const progress = await progressOf(interns[0]);
    expect(progress.requirements.map((r: { key: string; met: boolean }) => [r.key, r.met])).toEqual([
      ['geptMeetings', true],
      ['mandatoryTeaching', true],
    ]);
    expect(progress.summary).toBe('Les exigences de la phase socle sont remplies.');
  });
});
