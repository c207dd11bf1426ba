import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

let api: TestApp;
let admin: Actor;
let uppAdmin: Actor;
let otherUppAdmin: Actor;
let intern: Actor;
let msu: Actor[];
let outsider: Actor;

beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  uppAdmin = await actor(api.http, api.dataSource, { roles: ['admin'], upp: 'montpellier' });
  otherUppAdmin = await actor(api.http, api.dataSource, { roles: ['admin'], upp: 'perpignan' });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026 });
  msu = [];
  for (const name of ['Vidal', 'Estève', 'Sallès', 'Cazals']) msu.push(await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', lastName: name }));
  outsider = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier' });
});
afterAll(async () => {
  await api.close();
});

const supervisor = (who: Actor, halfDaysPerWeek: number, referent = false) => ({ tutorId: who.user.id, halfDaysPerWeek, referent });
const createStage = (supervisors: ReturnType<typeof supervisor>[], kind = 'praticien_n1') =>
  api.http
    .post('/api/stages')
    .set('Authorization', admin.bearer)
    .send({ internId: intern.user.id, kind, semester: 1, place: 'Cabinet de Lodève', startsOn: '2026-11-02', endsOn: '2027-05-02', supervisors });

describe('supervision rules over HTTP', () => {
  it('refuses 1 MSU, 4 MSU, two référents and 7 half-days with 422 and a French message', async () => {
    const one = await createStage([supervisor(msu[0], 8, true)]).expect(422);
    expect(one.body.detail).toContain('2 ou 3 MSU');
    await createStage([supervisor(msu[0], 2, true), supervisor(msu[1], 2), supervisor(msu[2], 2), supervisor(msu[3], 2)]).expect(422);
    const referents = await createStage([supervisor(msu[0], 4, true), supervisor(msu[1], 4, true)]).expect(422);
    expect(referents.body.detail).toContain('exactement un MSU référent');
    const seven = await createStage([supervisor(msu[0], 4, true), supervisor(msu[1], 3)]).expect(422);
    expect(seven.body.detail).toContain('au moins 8 demi-journées');
    await createStage([supervisor(msu[0], 4, true), supervisor(intern, 4)]).expect(422);
  });
});

describe('a binôme, then a trinôme, and the fees', () => {
  let stageId: string;

  it('creates the stage and splits 3,600 € between two MSU with unequal half-days', async () => {
    const created = await createStage([supervisor(msu[0], 5, true), supervisor(msu[1], 4)]).expect(201);
    stageId = created.body.id;
    expect(created.body.supervisors.map((s: { halfDaysPerWeek: number }) => s.halfDaysPerWeek)).toEqual([5, 4]);
    const fees = await api.http.get(`/api/stages/${stageId}/fees`).set('Authorization', admin.bearer).expect(200);
    expect(fees.body.map((l: { amountCents: number }) => l.amountCents)).toEqual([200000, 160000]);
  });

  it('keeps history through a mid-stage change to a trinôme, and the amounts still sum to 360,000 cents', async () => {
    const changed = await api.http
      .put(`/api/stages/${stageId}/supervisors`)
      .set('Authorization', admin.bearer)
      .send({ from: '2027-02-01', supervisors: [supervisor(msu[0], 3, true), supervisor(msu[1], 3), supervisor(msu[2], 3)] })
      .expect(200);
    expect(changed.body.supervisors).toHaveLength(3);
    expect(changed.body.supervisionHistory).toHaveLength(5);
    expect(changed.body.supervisionHistory[0]).toMatchObject({ from: '2026-11-02', to: '2027-01-31', halfDaysPerWeek: 5 });
    const fees = await api.http.get(`/api/stages/${stageId}/fees`).set('Authorization', msu[2].bearer).expect(200);
    // 5×91 + 3×91 = 728, 4×91 + 3×91 = 637, 3×91 = 273 (91 days before, 91 after the change).
    expect(fees.body.map((l: { amountCents: number }) => l.amountCents).reduce((a: number, b: number) => a + b, 0)).toBe(360000);
    expect(fees.body.map((l: { amountCents: number }) => l.amountCents)).toEqual([160000, 140000, 60000]);
    const csv = await api.http.get(`/api/stages/${stageId}/fees`).query({ format: 'csv' }).set('Authorization', admin.bearer).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toContain('stage;msu;nom;demi_journees_semaine;part;montant_euros');
    expect(csv.text).toContain(';1600,00');
  });

  it('records supervision phases by the supervisors, back and forth, with history', async () => {
    await api.http.post(`/api/stages/${stageId}/phase`).set('Authorization', msu[0].bearer).send({ phase: 1, note: 'Rencontre, attentes' }).expect(201);
    await api.http.post(`/api/stages/${stageId}/phase`).set('Authorization', msu[1].bearer).send({ phase: 3 }).expect(201);
    await api.http.post(`/api/stages/${stageId}/phase`).set('Authorization', msu[0].bearer).send({ phase: 2, note: 'Retour à l’observation pour les visites' }).expect(201);
    await api.http.post(`/api/stages/${stageId}/phase`).set('Authorization', msu[0].bearer).send({ phase: 6 }).expect(422);
    await api.http.post(`/api/stages/${stageId}/phase`).set('Authorization', outsider.bearer).send({ phase: 4 }).expect(404);
    const stage = await api.http.get(`/api/stages/${stageId}`).set('Authorization', intern.bearer).expect(200);
    expect(stage.body.phases.map((p: { phase: number }) => p.phase)).toEqual([1, 3, 2]);
    expect(stage.body.phases[2].label).toBe('le MSU consulte, l’interne observe');
  });

  it('shows an MSU only the stages they supervise', async () => {
    await api.http.get(`/api/stages/${stageId}`).set('Authorization', outsider.bearer).expect(404);
    await api.http.get(`/api/stages/${stageId}/fees`).set('Authorization', outsider.bearer).expect(404);
    await api.http.get(`/api/stages/${stageId}/fees`).set('Authorization', intern.bearer).expect(403);
    expect((await api.http.get('/api/stages').set('Authorization', outsider.bearer).expect(200)).body.total).toBe(0);
    expect((await api.http.get('/api/stages').set('Authorization', msu[2].bearer).expect(200)).body.total).toBe(1);
  });

  it('sends difficulties to the coordinators only', async () => {
    await api.http.post(`/api/stages/${stageId}/difficulties`).set('Authorization', intern.bearer).send({ body: 'Trop de visites à domicile seul.' }).expect(201);
    const seen = await api.http.get(`/api/stages/${stageId}/difficulties`).set('Authorization', uppAdmin.bearer).expect(200);
    expect(seen.body.map((d: { body: string }) => d.body)).toEqual(['Trop de visites à domicile seul.']);
    await api.http.get(`/api/stages/${stageId}/difficulties`).set('Authorization', admin.bearer).expect(200);
    await api.http.get(`/api/stages/${stageId}/difficulties`).set('Authorization', otherUppAdmin.bearer).expect(404);
    expect((await api.http.get(`/api/stages/${stageId}/difficulties`).set('Authorization', msu[0].bearer).expect(200)).body).toEqual([]);
    await api.http.get(`/api/stages/${stageId}/difficulties`).set('Authorization', outsider.bearer).expect(404);
  });

  it('links traces to the stage, counts progress per stage, and shows the maquette', async () => {
    const otherIntern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier' });
    await api.http.post('/api/traces').set('Authorization', otherIntern.bearer).send({ kind: 'trace', title: 'x', competences: [], familles: [], stageId }).expect(422);
    const trace = await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'trace', title: 'En stage', competences: ['relation'], familles: ['aigu'], stageId }).expect(201);
    expect(trace.body.stageId).toBe(stageId);
    await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: msu[0].user.id, internId: intern.user.id }).expect(201);
    await api.http.post(`/api/traces/${trace.body.id}/submit`).set('Authorization', intern.bearer).expect(200);
    await api.http.post(`/api/traces/${trace.body.id}/validate`).set('Authorization', msu[0].bearer).send({}).expect(200);
    const progress = await api.http.get(`/api/portfolios/${intern.user.id}/progress`).query({ stageId }).set('Authorization', intern.bearer).expect(200);
    expect(progress.body).toMatchObject({ stageId, validatedTotal: 1 });
    const maquette = await api.http.get(`/api/portfolios/${intern.user.id}/maquette`).set('Authorization', intern.bearer).expect(200);
    expect(maquette.body.stages).toHaveLength(1);
    expect(maquette.body.missing).toContain('urgences');
    expect(maquette.body.missing).not.toContain('stage chez le praticien niveau 1');
  });
});
