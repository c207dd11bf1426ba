import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

let api: TestApp;
let admin: Actor;
let intern: Actor;
let tutor: Actor;

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const NOTHING_ELSE = { kinds: {}, validatedTraces: 0, per: 'phase', minFamilles: 0, minCompetences: 0 };

beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], promotion: 2026 });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'] });
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
});
afterAll(() => api.close());

const progress = async () => (await api.http.get(`/api/portfolios/${intern.user.id}/progress?phase=socle`).set('Authorization', intern.bearer).expect(200)).body;

describe('the requirement « au moins 3 rencontres tuteur co-signées par an »', () => {
  it('is asked only by the versions that set it', async () => {
    await api.http.put('/api/admin/requirements/socle').set('Authorization', admin.bearer).send({ rules: NOTHING_ELSE }).expect(200);
    expect((await progress()).requirements).toEqual([]);
    const bad = await api.http.put('/api/admin/requirements/socle').set('Authorization', admin.bearer).send({ rules: { ...NOTHING_ELSE, tutorMeetingsPerYear: 13 } }).expect(422);
    expect(bad.body.errors).toEqual([{ path: 'rules.tutorMeetingsPerYear', message: 'trop grand' }]);
  });

  it('counts the co-signed meetings of the phase, not those awaiting a confirmation, and says what is missing', async () => {
    await api.http.put('/api/admin/requirements/socle').set('Authorization', admin.bearer).send({ rules: { ...NOTHING_ELSE, tutorMeetingsPerYear: 3 } }).expect(200);
    const signed = await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', tutor.bearer).send({ heldOn: today(), discussed: 'Le premier RSCA.', nextObjectives: 'Un RSCA en pédiatrie.' }).expect(201);
    await api.http.post(`/api/meetings/${signed.body.id}/confirm`).set('Authorization', intern.bearer).expect(200);
    await api.http.post(`/api/portfolios/${intern.user.id}/meetings`).set('Authorization', tutor.bearer).send({ heldOn: today(), discussed: 'Pas encore confirmée.', nextObjectives: 'x' }).expect(201);

    const body = await progress();
    expect(body.requirements).toEqual([{ key: 'tutorMeetings', label: 'Au moins 3 rencontres tuteur co-signées par an', target: 3, actual: 1, met: false }]);
    expect(body.gaps).toEqual(['2 rencontres tuteur co-signées']);
    expect(body.summary).toBe('Il manque 2 rencontres tuteur co-signées pour la phase socle.');
  });
});
