import { NestFactory } from '@nestjs/core';
import { RemindersProcessor } from '../../apps/worker/src/reminders/reminders.processor';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * End-of-stage evaluations over HTTP: the one-time link of an evaluator without an account (single
 * use, expiry, reissue, bound to one stage), the supervisor signed in, who reads them by role, and
 * the interns' evaluations of their stages reaching the DUMG only from three answers per place.
 */
jest.setTimeout(120_000);

let api: TestApp;
let admin: Actor;
let intern: Actor;
let otherIntern: Actor;
let tutor: Actor;
let msu: Actor;
let outsider: Actor;
let jury: Actor;
let endedStage: string;
let otherStage: string;
let runningStage: string;

const levels = { premier_recours: 'competent', relation: 'competent', approche_globale: 'intermediaire', education: 'intermediaire', continuite: 'non_observe', professionnalisme: 'competent' };
const evaluation = { levels, comment: 'Interne fiable, à l’aise aux urgences vitales.', validationProposed: true };
const tokenOf = (url: string) => decodeURIComponent(new URL(url).hash.replace(/^#jeton=/, ''));
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

const createStage = async (who: Actor, kind: string, place: string, startsOn: string, endsOn: string, supervisors: { tutorId: string; referent: boolean; halfDaysPerWeek: number }[] = []) =>
  (await api.http.post('/api/stages').set('Authorization', admin.bearer).send({ internId: who.user.id, kind, semester: 2, place, startsOn, endsOn, supervisors }).expect(201)).body.id as string;
const issue = (stageId: string, name: string, email: string, as = admin) => api.http.post(`/api/stages/${stageId}/evaluation-links`).set('Authorization', as.bearer).send({ name, email });
const view = (token: string) => api.http.post('/api/stage-evaluation-link/view').send({ token });
const submit = (token: string, body: object = evaluation) => api.http.post('/api/stage-evaluation-link/submit').send({ token, ...body });
const portfolio = (who: Actor, internId = intern.user.id) => api.http.get(`/api/portfolios/${internId}/stage-evaluations`).set('Authorization', who.bearer);
const ratings = (overall: number) => ({ supervision: 4, teaching: 3, workload: 2, housing: 5, travel: 1, overall });

beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], promotion: 2026, firstName: 'Claire', lastName: 'Fabre' });
  otherIntern = await actor(api.http, api.dataSource, { roles: ['intern'], promotion: 2026, firstName: 'Hugo', lastName: 'Marty' });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'] });
  msu = await actor(api.http, api.dataSource, { roles: ['tutor'], firstName: 'Anne', lastName: 'Vidal' });
  outsider = await actor(api.http, api.dataSource, { roles: ['tutor'] });
  jury = await actor(api.http, api.dataSource, { roles: ['jury'] });
  await api.dataSource.query(`INSERT INTO tutorship (tutor_id, intern_id, promotion) VALUES ($1, $2, 2026)`, [tutor.user.id, intern.user.id]);
  endedStage = await createStage(intern, 'urgences', 'CH d’Auch, urgences', day(-190), day(-10), [{ tutorId: msu.user.id, referent: true, halfDaysPerWeek: 2 }]);
  otherStage = await createStage(otherIntern, 'medecine_adulte', 'CH de Condom, médecine polyvalente', day(-190), day(-5));
  runningStage = await createStage(intern, 'medecine_adulte', 'CH d’Auch, médecine interne', day(-3), day(170), [{ tutorId: msu.user.id, referent: true, halfDaysPerWeek: 2 }]);
}, 60_000);
afterAll(async () => {
  await api?.close();
});

describe('issuing a link', () => {
  it('is the admin’s: 401, 403, 404 and 422 before the happy path, 409 before the form opens', async () => {
    await api.http.post(`/api/stages/${endedStage}/evaluation-links`).send({ name: 'Dr Paul Lacaze', email: 'p.lacaze@ch-auch.test' }).expect(401);
    await issue(endedStage, 'Dr Paul Lacaze', 'p.lacaze@ch-auch.test', msu).expect(403);
    await issue(endedStage, 'Dr Paul Lacaze', 'p.lacaze@ch-auch.test', intern).expect(403);
    await issue('00000000-0000-4000-8000-000000000000', 'Dr Paul Lacaze', 'p.lacaze@ch-auch.test').expect(404);
    await api.http.post(`/api/stages/${endedStage}/evaluation-links`).set('Authorization', admin.bearer).send({ email: 'p.lacaze@ch-auch.test' }).expect(422);
    const bad = await issue(endedStage, ' ', 'lacaze').expect(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body).toMatchObject({ detail: 'L’évaluateur est invalide.', errors: [{ path: 'name', message: 'le nom de l’évaluateur est requis' }, { path: 'email', message: 'adresse e-mail invalide' }] });
    const early = await issue(runningStage, 'Dr Paul Lacaze', 'p.lacaze@ch-auch.test').expect(409);
    expect(early.body.detail).toMatch(/^L’évaluation de fin de stage s’ouvre le \d{2}\/\d{2}\/\d{4}, 14 jours avant la fin du stage\.$/);
  });

  it('returns the link when no mail leaves the machine, keeps only its hash, and queues the mail', async () => {
    const issued = await issue(endedStage, 'Dr Paul Lacaze', 'P.Lacaze@CH-Auch.test').expect(201);
    expect(issued.body).toMatchObject({ evaluatorName: 'Dr Paul Lacaze', evaluatorEmail: 'p.lacaze@ch-auch.test', state: 'live', mailed: false });
    const token = tokenOf(issued.body.url);
    const stored: { hex: string }[] = await api.dataSource.query(`SELECT encode(token_hash, 'hex') AS hex FROM stage_evaluation_link WHERE id = $1`, [issued.body.id]);
    expect(stored[0].hex).toHaveLength(64);
    expect(stored[0].hex).not.toContain(Buffer.from(token).toString('hex'));
    const audit = await api.dataSource.query(`SELECT actor_id AS "actorId", details FROM audit_log WHERE action = 'stage_evaluation.link_issued' AND subject_id = $1`, [endedStage]);
    expect(audit).toContainEqual({ actorId: admin.user.id, details: { linkId: issued.body.id, email: 'p.lacaze@ch-auch.test', revoked: 0 } });
  });
});

describe('the one-time link', () => {
  it('shows this stage and this intern only, refuses bad content, is used up by its submission and then refused in French', async () => {
    const token = tokenOf((await issue(endedStage, 'Dr Paul Lacaze', 'p.lacaze@ch-auch.test').expect(201)).body.url);
    const page = await view(token).expect(200);
    expect(Object.keys(page.body).sort()).toEqual(['evaluation', 'evaluatorName', 'expiresAt', 'form', 'internName', 'stage']);
    expect(page.body).toMatchObject({ evaluatorName: 'Dr Paul Lacaze', internName: 'Claire Fabre', stage: { label: 'urgences', place: 'CH d’Auch, urgences', endsOn: day(-10) }, evaluation: null });
    expect(page.body.form.competences).toHaveLength(6);
    // Reading twice does not use it up.
    await view(token).expect(200);

    const incomplete = await submit(token, { levels: { ...levels, relation: 'excellent', continuite: undefined }, validationProposed: true }).expect(422);
    expect(incomplete.body.errors).toEqual([
      { path: 'levels.relation', message: 'niveau inconnu' },
      { path: 'levels.continuite', message: 'niveau manquant pour « Continuité, suivi, coordination des soins »' },
    ]);
    await submit(token, { levels }).expect(422);

    const sent = await submit(token).expect(201);
    expect(sent.body.evaluation).toMatchObject({ evaluator: { name: 'Dr Paul Lacaze', viaLink: true, userId: null }, levels, validationProposed: true });

    const again = await view(token).expect(400);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.body.detail).toBe('Ce lien a déjà servi : votre évaluation a été transmise, et un lien ne sert qu’une fois.');
    expect((await submit(token).expect(400)).body.detail).toBe('Ce lien a déjà servi : votre évaluation a été transmise, et un lien ne sert qu’une fois.');
    const rows = await api.dataSource.query(`SELECT count(*)::int AS n FROM stage_evaluation WHERE stage_id = $1`, [endedStage]);
    expect(rows[0].n).toBe(1);

    // The same evaluator is not sent another: their evaluation is final.
    expect((await issue(endedStage, 'Dr Paul Lacaze', 'p.lacaze@ch-auch.test').expect(409)).body.detail).toBe('Dr Paul Lacaze a déjà transmis son évaluation de ce stage : elle ne se modifie plus.');
    const used = await api.dataSource.query(`SELECT actor_id AS "actorId", details->>'via' AS via FROM audit_log WHERE action = 'stage_evaluation.submitted' AND subject_id = $1`, [endedStage]);
    expect(used).toEqual([{ actorId: null, via: 'link' }]);
  });

  it('refuses an unknown token with 404, and is no session: as a bearer it opens nothing', async () => {
    expect((await view('pas-un-jeton').expect(404)).body.detail).toBe('Lien d’évaluation introuvable.');
    await api.http.post('/api/stage-evaluation-link/view').send({}).expect(422);
    const token = tokenOf((await issue(endedStage, 'Dr Inès Roques', 'i.roques@ch-auch.test').expect(201)).body.url);
    await api.http.get(`/api/portfolios/${intern.user.id}/stage-evaluations`).set('Authorization', `Bearer ${token}`).expect(401);
    await api.http.get(`/api/stages/${endedStage}`).set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('refuses an expired link in French', async () => {
    const issued = await issue(endedStage, 'Dr Marc Dupuy', 'm.dupuy@ch-auch.test').expect(201);
    await api.dataSource.query(`UPDATE stage_evaluation_link SET created_at = now() - interval '31 days', expires_at = now() - interval '1 day' WHERE id = $1`, [issued.body.id]);
    const token = tokenOf(issued.body.url);
    expect((await view(token).expect(400)).body.detail).toBe('Ce lien a expiré : demandez-en un nouveau au secrétariat du DUMG.');
    await submit(token).expect(400);
    expect((await portfolio(admin).expect(200)).body.stages[0].links.find((l: { id: string }) => l.id === issued.body.id).state).toBe('expired');
  });

  it('is voided by a reissue: the old one is refused in French, the new one works', async () => {
    const first = await issue(endedStage, 'Dr Sophie Lannes', 's.lannes@ch-auch.test').expect(201);
    const second = await issue(endedStage, 'Dr Sophie Lannes', 's.lannes@ch-auch.test').expect(201);
    expect((await view(tokenOf(first.body.url)).expect(400)).body.detail).toBe('Ce lien a été remplacé par un plus récent : ouvrez le dernier e-mail reçu du DUMG.');
    await submit(tokenOf(first.body.url)).expect(400);
    await view(tokenOf(second.body.url)).expect(200);
    const links = (await portfolio(admin).expect(200)).body.stages[0].links.filter((l: { evaluatorEmail: string }) => l.evaluatorEmail === 's.lannes@ch-auch.test');
    expect(links.map((l: { state: string }) => l.state)).toEqual(['live', 'revoked']);
  });

  it('for another intern’s stage reads and writes that stage only', async () => {
    const token = tokenOf((await issue(otherStage, 'Dr Jean Bop', 'j.bop@ch-condom.test').expect(201)).body.url);
    const page = await view(token).expect(200);
    expect(page.body).toMatchObject({ internName: 'Hugo Marty', stage: { place: 'CH de Condom, médecine polyvalente' } });
    expect(JSON.stringify(page.body)).not.toContain('Claire');
    await submit(token, { ...evaluation, comment: 'Pour Hugo.' }).expect(201);
    const mine = (await portfolio(intern).expect(200)).body.stages.flatMap((s: { evaluations: { comment: string }[] }) => s.evaluations);
    expect(mine.map((e: { comment: string }) => e.comment)).not.toContain('Pour Hugo.');
    const his = (await portfolio(otherIntern, otherIntern.user.id).expect(200)).body.stages[0].evaluations;
    expect(his).toMatchObject([{ evaluator: { name: 'Dr Jean Bop' }, comment: 'Pour Hugo.' }]);
  });
});

describe('a supervisor with an account', () => {
  it('finds the stages to evaluate, evaluates once, signed in; others are refused', async () => {
    const tasks = (await api.http.get('/api/stage-evaluations/to-fill').set('Authorization', msu.bearer).expect(200)).body.items;
    expect(tasks.map((t: { stage: { id: string }; open: boolean; intern: { displayName: string } }) => [t.stage.id, t.open, t.intern.displayName])).toEqual([
      [runningStage, false, 'Claire Fabre'],
      [endedStage, true, 'Claire Fabre'],
    ]);
    await api.http.post(`/api/stages/${endedStage}/evaluations`).send(evaluation).expect(401);
    await api.http.post(`/api/stages/${endedStage}/evaluations`).set('Authorization', outsider.bearer).send(evaluation).expect(404);
    await api.http.post(`/api/stages/${endedStage}/evaluations`).set('Authorization', intern.bearer).send(evaluation).expect(403);
    await api.http.post(`/api/stages/${runningStage}/evaluations`).set('Authorization', msu.bearer).send(evaluation).expect(409);
    await api.http.post(`/api/stages/${endedStage}/evaluations`).set('Authorization', msu.bearer).send({ ...evaluation, validationProposed: 'oui' }).expect(422);
    const done = await api.http.post(`/api/stages/${endedStage}/evaluations`).set('Authorization', msu.bearer).send({ ...evaluation, validationProposed: false, comment: 'À revoir : retards répétés.' }).expect(201);
    expect(done.body).toMatchObject({ evaluator: { name: 'Anne Vidal', viaLink: false, userId: msu.user.id }, validationProposed: false });
    await api.http.post(`/api/stages/${endedStage}/evaluations`).set('Authorization', msu.bearer).send(evaluation).expect(409);
    // Nor by a link to the same person's address.
    await issue(endedStage, 'Dr Anne Vidal', msu.email).expect(409);
    const after = (await api.http.get('/api/stage-evaluations/to-fill').set('Authorization', msu.bearer).expect(200)).body.items;
    expect(after[1].evaluation).toMatchObject({ comment: 'À revoir : retards répétés.' });
  });
});

describe('reading the evaluations', () => {
  it('is for the intern, their tutor, a sitting jury and the admin; 404 for anyone else; audited but for the intern', async () => {
    const own = (await portfolio(intern).expect(200)).body;
    const ended = own.stages.find((s: { stage: { id: string } }) => s.stage.id === endedStage);
    expect(ended.evaluations.map((e: { evaluator: { name: string } }) => e.evaluator.name)).toEqual(['Dr Paul Lacaze', 'Anne Vidal']);
    expect(ended.feedbackGiven).toBe(false);
    expect(ended.links).toBeUndefined();

    const byTutor = (await portfolio(tutor).expect(200)).body;
    expect(byTutor.stages.find((s: { stage: { id: string } }) => s.stage.id === endedStage).evaluations).toHaveLength(2);
    expect(byTutor.stages[0].feedbackGiven).toBeUndefined();

    await portfolio(jury).expect(404);
    const hour = 3600_000;
    await api.http
      .post('/api/jury-sessions')
      .set('Authorization', admin.bearer)
      .send({ title: 'Commission socle', phase: 'socle', opensAt: new Date(Date.now() - hour).toISOString(), closesAt: new Date(Date.now() + hour).toISOString(), memberIds: [jury.user.id], internIds: [intern.user.id] })
      .expect(201);
    expect((await portfolio(jury).expect(200)).body.stages).toHaveLength(2);

    await portfolio(outsider).expect(404);
    await portfolio(msu).expect(404);
    await portfolio(otherIntern).expect(404);
    await api.http.get(`/api/portfolios/${intern.user.id}/stage-evaluations`).expect(401);

    const reads: { actorId: string; details: object }[] = await api.dataSource.query(`SELECT actor_id AS "actorId", details FROM audit_log WHERE action = 'portfolio.read' AND subject_id = $1`, [intern.user.id]);
    expect(reads).toContainEqual({ actorId: tutor.user.id, details: { what: 'stage_evaluations', as: 'tutor' } });
    expect(reads).toContainEqual({ actorId: jury.user.id, details: { what: 'stage_evaluations', as: 'jury' } });
    expect(reads).toContainEqual({ actorId: admin.user.id, details: { what: 'stage_evaluations', as: 'admin' } });
    expect(reads.filter((r) => r.actorId === intern.user.id)).toEqual([]);
    const opened = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'stage_evaluation.link_opened' AND subject_id = $1`, [endedStage]);
    expect(opened[0].n).toBeGreaterThan(0);
  });
});

describe('the intern’s evaluation of the stage', () => {
  const feedback = (overall: number, comment = '') => ({ ratings: ratings(overall), housingProvided: true, vehicleRequired: true, comment });
  const send = (who: Actor, stageId: string, body: object) => api.http.post(`/api/stages/${stageId}/feedback`).set('Authorization', who.bearer).send(body);
  const summary = async () => (await api.http.get('/api/admin/stage-feedback').set('Authorization', admin.bearer).expect(200)).body;

  it('is the intern’s, once, from the form’s opening, checked in French', async () => {
    await send(msu, endedStage, feedback(4)).expect(403);
    await send(otherIntern, endedStage, feedback(4)).expect(404);
    await send(intern, runningStage, feedback(4)).expect(409);
    const bad = await send(intern, endedStage, { ratings: { ...ratings(4), workload: 7 }, housingProvided: true, vehicleRequired: false }).expect(422);
    expect(bad.body.errors).toEqual([{ path: 'ratings.workload', message: 'une note de 1 à 5 pour « Charge de travail (journées et trajets) »' }]);
    await send(intern, endedStage, feedback(4, 'Logée à l’internat, beaucoup de route vers Condom.')).expect(201);
    expect((await send(intern, endedStage, feedback(4)).expect(409)).body.detail).toBe('Vous avez déjà évalué ce stage : une réponse par stage, qui ne se modifie plus.');
    const own = (await portfolio(intern).expect(200)).body.stages.find((s: { stage: { id: string } }) => s.stage.id === endedStage);
    expect(own.feedbackGiven).toBe(true);
    // Nobody reads an answer: not the supervisors, not the tutor, not the jury.
    for (const reader of [tutor, jury]) expect(JSON.stringify((await portfolio(reader).expect(200)).body)).not.toContain('beaucoup de route');
  });

  it('reaches the DUMG per place only from three answers; below, a French sentence and no figure', async () => {
    await api.http.get('/api/admin/stage-feedback').set('Authorization', msu.bearer).expect(403);
    await api.http.get('/api/admin/stage-feedback').expect(401);
    let places = (await summary()).places;
    expect(places).toEqual([{ place: 'CH d’Auch, urgences', enough: false, message: 'Moins de 3 réponses pour ce lieu de stage : les résultats restent masqués pour préserver l’anonymat des internes.' }]);

    const second = await actor(api.http, api.dataSource, { roles: ['intern'], promotion: 2025 });
    const third = await actor(api.http, api.dataSource, { roles: ['intern'], promotion: 2025 });
    await send(second, await createStage(second, 'urgences', 'CH d’Auch,  URGENCES', day(-370), day(-190)), feedback(2, 'Encadrement rare la nuit.')).expect(201);
    places = (await summary()).places;
    expect(places[0]).toEqual({ place: 'CH d’Auch, urgences', enough: false, message: expect.stringContaining('Moins de 3 réponses') });
    expect(JSON.stringify(places)).not.toContain('Encadrement rare');

    await send(third, await createStage(third, 'urgences', 'ch d’auch, urgences', day(-370), day(-190)), feedback(3)).expect(201);
    places = (await summary()).places;
    expect(places).toEqual([
      {
        place: 'CH d’Auch, urgences',
        enough: true,
        answers: 3,
        means: { supervision: 4, teaching: 3, workload: 2, housing: 5, travel: 1, overall: 3 },
        housingProvided: 3,
        vehicleRequired: 3,
        comments: ['Encadrement rare la nuit.', 'Logée à l’internat, beaucoup de route vers Condom.'],
      },
    ]);
    const read = await api.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'stage_feedback.summary_read' AND actor_id = $1`, [admin.user.id]);
    expect(read[0].n).toBe(3);
  });
});

describe('when a stage’s forms open', () => {
  it('the system tells its supervisors with an account and its intern, once per stage, unless they have answered', async () => {
    const newIntern = await actor(api.http, api.dataSource, { roles: ['intern'], promotion: 2026, firstName: 'Léa' });
    const newMsu = await actor(api.http, api.dataSource, { roles: ['tutor'], firstName: 'Marc' });
    const stageId = await createStage(newIntern, 'urgences', 'CH de Mirande', day(-180), day(5), [{ tutorId: newMsu.user.id, referent: true, halfDaysPerWeek: 2 }]);
    const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config), { logger: false });
    await context.init();
    try {
      await context.get(RemindersProcessor).run();
      await context.get(RemindersProcessor).run();
    } finally {
      await context.close();
    }
    const sent: { userId: string; kind: string; period: string; mail: { to: string; subject: string; text: string } }[] = await api.dataSource.query(
      `SELECT user_id AS "userId", kind, period, mail FROM reminder_log WHERE kind IN ('stage_evaluation_open', 'stage_feedback_open') ORDER BY kind, user_id`,
    );
    // The ended stage's MSU evaluated it and its intern answered; the running stage is not open yet.
    expect(sent.map((r) => [r.userId, r.kind, r.period])).toEqual(
      [
        [newMsu.user.id, 'stage_evaluation_open', stageId],
        [newIntern.user.id, 'stage_feedback_open', stageId],
        [otherIntern.user.id, 'stage_feedback_open', otherStage],
      ].sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0])),
    );
    const toMsu = sent.find((r) => r.userId === newMsu.user.id)!.mail;
    expect(toMsu).toMatchObject({ to: newMsu.email, subject: `Évaluation de fin de stage de Léa ${newIntern.user.lastName} à remplir` });
    expect(toMsu.text).toContain('/evaluations-stage');
    expect(sent.find((r) => r.userId === newIntern.user.id)!.mail.text).toContain('vos réponses sont anonymes');
  });
});
