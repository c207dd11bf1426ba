import { actor, Actor, makeUser } from '../support/actors';
import { binaryBody, pdfText } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The portfolio PDF shows the whole DES beside the traces: teaching attendance per phase with its
 * gaps, GEPT groups (to whom the API shows them), tutor meetings and who co-signed them, the
 * thesis and its steps, the supervisors' end-of-stage evaluations; never the intern's own
 * anonymous evaluation of a stage. Who may export at all is covered in exports.e2e.ts.
 */
jest.setTimeout(180_000);

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const at = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
// A promotion in its socle since at least three weeks: the sessions of the last days count toward it.
const settled = new Date(Date.now() - 21 * DAY);
const promotion = settled.getUTCMonth() >= 10 ? settled.getUTCFullYear() : settled.getUTCFullYear() - 1;
const FEEDBACK = 'Logée à l’internat, trop de route vers le cabinet secondaire.';

let api: TestApp;
let admin: Actor;
let intern: Actor;
let tutor: Actor;
let jury: Actor;

beforeAll(async () => {
  api = await startTestApp({}, { worker: true });
  admin = await actor(api.http, api.dataSource, { roles: ['admin'], upp: 'montpellier' });
  intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion, firstName: 'Inès', lastName: 'Roux' });
  tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Anne', lastName: 'Vidal' });
  jury = await actor(api.http, api.dataSource, { roles: ['jury'], upp: 'montpellier', firstName: 'Jean', lastName: 'Commission' });
  const lead = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Lucie', lastName: 'Responsable' });
  const msu = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Paul', lastName: 'Lacaze' });
  const as = (who: Actor) => ({ Authorization: who.bearer });
  await api.http.post('/api/tutorships').set(as(admin)).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);

  // Teaching: three mandatory UPM seminars held (attended, excused, missed), one to come.
  const publish = async (title: string, startsIn: number) =>
    (
      await api.http
        .post('/api/teaching-sessions')
        .set(as(admin))
        .send({ title, kind: 'seminaire_upm', startsAt: at(startsIn), endsAt: at(startsIn + 3), place: 'Faculté, amphi A', promotions: [promotion], uppCodes: ['montpellier'], capacity: null, mandatory: true, phase: 'socle', leadId: lead.user.id })
        .expect(201)
    ).body.id as string;
  const attended = await publish('Séminaire UPM : la relation', -96);
  const excused = await publish('Séminaire UPM : la prévention', -72);
  await publish('Séminaire UPM : soins palliatifs', -48);
  const coming = await publish('Séminaire UPM : la gériatrie', 24);
  for (const id of [attended, excused]) await api.http.post(`/api/teaching-sessions/${id}/registrations`).set(as(admin)).send({ internId: intern.user.id }).expect(201);
  await api.http.post(`/api/teaching-sessions/${coming}/registrations`).set(as(intern)).send({}).expect(201);
  await api.http.put(`/api/teaching-sessions/${attended}/attendance/${intern.user.id}`).set(as(lead)).send({ present: true }).expect(200);
  await api.http.put(`/api/teaching-sessions/${excused}/absence`).set(as(intern)).send({ reason: 'Garde aux urgences la veille' }).expect(200);

  // A GEPT group of six interns, one meeting the intern attended.
  const others = [];
  for (let i = 0; i < 5; i++) others.push(await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion }));
  const group = await api.http
    .post('/api/gept-groups')
    .set(as(admin))
    .send({ title: 'GEPT Montpellier — groupe B', year: promotion, leadId: lead.user.id, internIds: [intern.user.id, ...others.map((o) => o.id)] })
    .expect(201);
  const meeting = await api.http.post(`/api/gept-groups/${group.body.id}/meetings`).set(as(lead)).send({ heldOn: day(-5), cases: ['Lombalgie chronique au travail'] }).expect(201);
  await api.http.put(`/api/gept-meetings/${meeting.body.meetings[0].id}/attendance/${intern.user.id}`).set(as(lead)).send({ present: true }).expect(200);

  // A tutor meeting written by the tutor, co-signed by the intern.
  const written = await api.http
    .post(`/api/portfolios/${intern.user.id}/meetings`)
    .set(as(tutor))
    .send({ heldOn: day(-6), discussed: 'Bilan du premier trimestre', nextObjectives: 'Écrire un RSCA sur une consultation difficile' })
    .expect(201);
  await api.http.post(`/api/meetings/${written.body.id}/confirm`).set(as(intern)).expect(200);

  // The thesis and its steps.
  const thesis = await api.http
    .put(`/api/portfolios/${intern.user.id}/thesis`)
    .set(as(intern))
    .send({ subject: 'Le dépistage du diabète en soins primaires', director: { kind: 'external', name: 'Dr Claire Martin', email: 'c.martin@chu.test' } })
    .expect(201);
  await api.http.patch(`/api/thesis-steps/${thesis.body.steps[0].id}`).set(as(intern)).send({ plannedOn: day(-30), doneOn: day(-20) }).expect(200);
  await api.http.patch(`/api/thesis-steps/${thesis.body.steps[1].id}`).set(as(intern)).send({ plannedOn: day(-2) }).expect(200);

  // A stage evaluated by its MSU, and by the intern (anonymously, for the DUMG).
  const stage = await api.http
    .post('/api/stages')
    .set(as(admin))
    .send({ internId: intern.user.id, kind: 'urgences', semester: 1, place: 'CH de Sète, urgences', startsOn: day(-190), endsOn: day(-10), supervisors: [{ tutorId: msu.user.id, referent: true, halfDaysPerWeek: 2 }] })
    .expect(201);
  const levels = { premier_recours: 'competent', relation: 'competent', approche_globale: 'intermediaire', education: 'intermediaire', continuite: 'non_observe', professionnalisme: 'competent' };
  await api.http.post(`/api/stages/${stage.body.id}/evaluations`).set(as(msu)).send({ levels, comment: 'Interne fiable, à l’aise aux urgences vitales.', validationProposed: true }).expect(201);
  await api.http
    .post(`/api/stages/${stage.body.id}/feedback`)
    .set(as(intern))
    .send({ ratings: { supervision: 2, teaching: 3, workload: 2, housing: 5, travel: 1, overall: 3 }, housingProvided: true, vehicleRequired: true, comment: FEEDBACK })
    .expect(201);

  // The jury session hearing the intern, open now.
  await api.http
    .post('/api/jury-sessions')
    .set(as(admin))
    .send({ title: 'Commission socle', phase: 'socle', opensAt: at(-1), closesAt: at(48), memberIds: [jury.user.id], internIds: [intern.user.id] })
    .expect(201);
}, 120_000);
afterAll(async () => {
  await api?.close();
});

async function exported(who: Actor): Promise<string> {
  const requested = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', who.bearer).send({ format: 'pdf', scope: 'validated' }).expect(202);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const status = await api.http.get(`/api/exports/${requested.body.id}`).set('Authorization', who.bearer).expect(200);
    if (status.body.status === 'completed') break;
    if (status.body.status === 'failed' || Date.now() > deadline) throw new Error(`export ${status.body.status}: ${status.body.error}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const pdf = await api.http.get(`/api/exports/${requested.body.id}/download`).set('Authorization', who.bearer).buffer(true).parse(binaryBody).expect(200);
  return pdfText(pdf.body as Buffer);
}

/** The text with its line breaks and layout spaces folded, for sentences a line may wrap. */
const flat = (text: string) => text.replace(/\s+/g, ' ');
const paris = (iso: string) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso));

function expectWholeDes(text: string) {
  const words = flat(text);
  // The table of contents names each section.
  const contents = words.slice(words.indexOf('Sommaire'), words.indexOf('Couverture des compétences', words.indexOf('Sommaire') + 10));
  for (const section of ['Enseignements et présences', 'Rencontres avec le tuteur', 'Thèse', 'Évaluations de fin de stage']) expect(contents).toContain(section);

  expect(words).toContain('Séances obligatoires tenues : 3 — présent(e) : 1 — absences justifiées : 1 — manquées : 1 — à venir : 1');
  expect(words).toContain(`1 séminaire UPM obligatoire manqué : Séminaire UPM : soins palliatifs (${paris(at(-48))})`);
  for (const state of ['Présent(e)', 'Absence justifiée', 'Manquée', 'À venir']) expect(text).toContain(state);

  expect(words).toContain('Ce qui a été abordé : Bilan du premier trimestre');
  expect(words).toContain('Objectifs pour la suite : Écrire un RSCA sur une consultation difficile');
  expect(words).toMatch(/Co-signée : par l’interne le .+, par Anne Vidal \(tuteur\) le /);

  expect(words).toContain('Sujet : Le dépistage du diabète en soins primaires');
  expect(words).toContain('Directeur ou directrice : Dr Claire Martin');
  expect(words).toContain('Avancement : 1 étape(s) franchie(s) sur 3.');
  expect(text).toContain('Franchie');
  expect(text).toContain('En retard');

  expect(words).toContain('Semestre 1 — urgences — CH de Sète, urgences');
  expect(words).toMatch(/Évaluation de Paul Lacaze, envoyée le /);
  expect(words).toContain('Validation du stage proposée');
  expect(words).toContain('Non observée pendant ce stage');
  expect(words).toContain('Commentaire : Interne fiable, à l’aise aux urgences vitales.');

  // The intern's own evaluation of the stage is the DUMG's, anonymous: never in a portfolio.
  expect(words).not.toContain('trop de route');
  expect(words).not.toContain('Logée à l’internat');
}

describe('the portfolio PDF shows the whole DES', () => {
  it('to the tutor, without the GEPT attendance the API does not show them', async () => {
    const text = await exported(tutor);
    expectWholeDes(text);
    expect(flat(text)).toContain('La présence aux groupes GEPT n’est communiquée qu’à l’interne, à l’animateur du groupe et au DUMG.');
    expect(text).not.toContain('GEPT Montpellier — groupe B');
  });

  it('to a sitting jury member', async () => {
    const text = await exported(jury);
    expectWholeDes(text);
    expect(text).not.toContain('Lombalgie chronique au travail');
  });

  it('to an admin of the DUMG, who reads the GEPT groups as the API gives them', async () => {
    const text = flat(await exported(admin));
    expect(text).toContain('Sujet : Le dépistage du diabète en soins primaires');
    expect(text).toContain('GEPT Montpellier — groupe B');
    expect(text).not.toContain('trop de route');
  });

  it('to the intern, with their GEPT group and the meetings attended', async () => {
    const text = await exported(intern);
    expectWholeDes(text);
    const words = flat(text);
    expect(words).toContain('GEPT Montpellier — groupe B');
    expect(words).toContain('animé par Lucie Responsable');
    expect(words).toContain('Séances : 1 — présent(e) : 1');
    expect(words).toContain('Lombalgie chronique au travail');
  });
});
