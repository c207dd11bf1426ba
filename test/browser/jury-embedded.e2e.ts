import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { EMBEDDED_ADMIN, EmbeddedRun, startEmbeddedRun } from '../support/embedded-run';
import { accessibilityViolations, launchBrowser, screenshot, signIn } from './browser';

/**
 * A commission's whole job on the product as `npm start` runs it (PGlite, BullMQ on it, local
 * disk): from the session page to a trace read in full, the portfolio PDF downloaded, and a
 * decision that stays recorded after a reload, for its author and for the other member.
 */
const PASSWORD = 'Glycémie capillaire à jeun 2026';
const TITLE = 'Une otite chez un nourrisson fébrile';
const FEEDBACK = 'Trop de gardes de nuit, peu de débriefing.';

let run: EmbeddedRun;
let browser: Browser;

const call = <T = Record<string, unknown>>(method: string, path: string, token: string | null, body?: unknown) => run.call<T>(method, path, token, body);
const login = async (email: string, password = PASSWORD) => (await call<{ accessToken: string }>('POST', '/auth/login', null, { email, password })).accessToken;

beforeAll(async () => {
  [run, browser] = await Promise.all([startEmbeddedRun(), launchBrowser()]);
  const admin = await login(EMBEDDED_ADMIN.email, EMBEDDED_ADMIN.password);
  await call('POST', '/admin/upps', admin, { code: 'montpellier', name: 'Montpellier-Nîmes' });
  const user = async (email: string, firstName: string, lastName: string, roles: string[], extra: object = {}) =>
    (await call<{ id: string }>('POST', '/admin/users', admin, { email, firstName, lastName, roles, upp: 'montpellier', password: PASSWORD, ...extra })).id;
  const internId = await user('claire.fabre@etu.test', 'Claire', 'Fabre', ['intern'], { promotion: 2025 });
  const otherInternId = await user('yanis.haddad@etu.test', 'Yanis', 'Haddad', ['intern'], { promotion: 2025 });
  const tutorId = await user('anne.vidal@msu.test', 'Anne', 'Vidal', ['tutor']);
  const memberIds = [await user('luc.ferrand@jury.test', 'Luc', 'Ferrand', ['jury']), await user('ines.morel@jury.test', 'Inès', 'Morel', ['jury'])];
  await call('POST', '/tutorships', admin, { tutorId, internId });

  const intern = await login('claire.fabre@etu.test');
  const text = 'Un nourrisson de 14 mois consulte pour une fièvre à 39 °C depuis deux jours ; le tympan droit est bombé.';
  const trace = await call<{ id: string }>('POST', '/traces', intern, {
    kind: 'rsca',
    title: TITLE,
    content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
    competences: ['premier_recours'],
    familles: ['enfant_adolescent'],
  });
  await call('POST', `/traces/${trace.id}/submit`, intern);
  const tutor = await login('anne.vidal@msu.test');
  await call('POST', `/traces/${trace.id}/comments`, tutor, { body: 'As-tu recherché une conjonctivite associée ?', anchor: { from: 1, to: 30, quote: text.slice(0, 29) } });
  await call('POST', `/traces/${trace.id}/validate`, tutor, { comment: 'Raisonnement clair.' });
  await call('POST', `/portfolios/${internId}/assessments`, tutor, { phase: 'socle', levels: { premier_recours: 'intermediaire' }, comment: 'Progresse bien en pédiatrie.', recommendation: 'favorable' });
  const meeting = await call<{ id: string }>('POST', `/portfolios/${internId}/meetings`, tutor, {
    heldOn: new Date().toISOString().slice(0, 10),
    discussed: 'Premiers RSCA, organisation du semestre.',
    nextObjectives: 'Un RSCA en santé de l’enfant.',
  });
  await call('POST', `/meetings/${meeting.id}/confirm`, intern);
  // The rest of the DES: a mandatory seminar of the socle missed, the thesis, a stage evaluated by its MSU and by the intern (anonymously).
  const seminar = await call<{ id: string }>('POST', '/teaching-sessions', admin, {
    title: 'Séminaire UPM : la douleur',
    kind: 'seminaire_upm',
    startsAt: '2026-03-10T13:00:00Z',
    endsAt: '2026-03-10T16:00:00Z',
    place: 'Faculté de médecine',
    promotions: [2025],
    uppCodes: ['montpellier'],
    capacity: null,
    mandatory: true,
    phase: 'socle',
    leadId: tutorId,
  });
  await call('POST', `/teaching-sessions/${seminar.id}/registrations`, admin, { internId });
  await call('PUT', `/portfolios/${internId}/thesis`, intern, { subject: 'La fièvre du nourrisson en médecine de ville', director: { kind: 'external', name: 'Dr Claire Martin', email: 'c.martin@chu.test' } });
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const stage = await call<{ id: string }>('POST', '/stages', admin, { internId, kind: 'urgences', semester: 1, place: 'CH de Sète, urgences', startsOn: day(-190), endsOn: day(-10), supervisors: [{ tutorId, referent: true, halfDaysPerWeek: 2 }] });
  const levels = { premier_recours: 'competent', relation: 'competent', approche_globale: 'intermediaire', education: 'intermediaire', continuite: 'non_observe', professionnalisme: 'competent' };
  await call('POST', `/stages/${stage.id}/evaluations`, tutor, { levels, comment: 'À l’aise aux urgences pédiatriques.', validationProposed: true });
  await call('POST', `/stages/${stage.id}/feedback`, intern, { ratings: { supervision: 2, teaching: 3, workload: 2, housing: 5, travel: 1, overall: 3 }, housingProvided: true, vehicleRequired: true, comment: FEEDBACK });
  await call('POST', '/jury-sessions', admin, {
    title: 'Commission de phase socle',
    phase: 'socle',
    opensAt: new Date(Date.now() - 60_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    memberIds,
    internIds: [internId, otherInternId],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await run?.close();
});

it('reads a trace in full, downloads the PDF and records a decision that stays recorded', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const member = await signIn(context, run.base, 'luc.ferrand@jury.test', PASSWORD);
  await member.getByRole('heading', { name: 'Commission de phase socle' }).waitFor();
  await member.getByText('Phase socle · du', { exact: false }).waitFor();
  expect(await accessibilityViolations(member)).toEqual([]);

  await member.getByRole('button', { name: 'Claire Fabre' }).click();
  await member.getByRole('heading', { name: 'Portfolio de Claire Fabre' }).waitFor();
  // The tutor's assessment beside the traces, in words.
  await member.getByText('Avis favorable').waitFor();
  await member.getByText('Premier recours : Intermédiaire').waitFor();
  // The tutorship's co-signed meetings, read-only.
  const meetings = member.getByRole('region', { name: 'Rencontres de tutorat' });
  await meetings.getByText('1 rencontre cosignée au cours des 12 derniers mois', { exact: false }).waitFor();
  await meetings.getByText('Premiers RSCA, organisation du semestre.').waitFor();
  expect(await meetings.getByRole('button').count()).toBe(0);
  // The whole DES on the one page: teaching attendance with its gaps, the thesis, the stage evaluations; read-only.
  const teaching = member.getByRole('region', { name: 'Enseignements obligatoires de la phase' });
  await teaching.getByText('0 séance(s) suivie(s) sur 1', { exact: false }).waitFor();
  await teaching.getByRole('listitem').filter({ hasText: '1 séminaire UPM obligatoire manqué : Séminaire UPM : la douleur (10/03/2026)' }).waitFor();
  const missedTable = teaching.getByRole('table', { name: 'Séances obligatoires manquées (ni présence, ni absence justifiée)' });
  await missedTable.getByRole('rowheader', { name: 'Séminaire UPM : la douleur' }).waitFor();
  const thesis = member.getByRole('region', { name: 'Thèse' });
  await thesis.getByText('La fièvre du nourrisson en médecine de ville').waitFor();
  await thesis.getByText('Fiche de thèse déposée', { exact: false }).first().waitFor();
  const stages = member.getByRole('region', { name: 'Évaluations de fin de stage' });
  await stages.getByText('À l’aise aux urgences pédiatriques.').waitFor();
  await stages.getByText('validation proposée', { exact: true }).waitFor();
  expect(await stages.getByRole('button').count()).toBe(0);
  // The intern's own evaluation of the stage is the DUMG's, anonymous.
  expect(await member.getByText(FEEDBACK, { exact: false }).count()).toBe(0);
  expect(await accessibilityViolations(member)).toEqual([]);
  // The next intern of the session is one click away.
  await member.getByRole('button', { name: 'Suivant : Yanis Haddad →' }).waitFor();

  await member.getByRole('button', { name: TITLE }).click();
  const reading = member.getByRole('textbox', { name: `Texte de la trace « ${TITLE} » (lecture seule)` });
  await reading.getByText('le tympan droit est bombé', { exact: false }).waitFor();
  expect(await reading.getAttribute('contenteditable')).toBe('false');
  await member.getByText('As-tu recherché une conjonctivite associée ?', { exact: false }).waitFor();
  await member.getByText('empreinte SHA-256 du contenu validé', { exact: false }).waitFor();

  await member.getByRole('button', { name: 'Préparer le PDF du portfolio' }).click();
  const link = member.getByRole('link', { name: 'Télécharger le PDF du portfolio' });
  await link.waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([member.waitForEvent('download'), link.click()]);
  expect(fs.readFileSync((await download.path())!).subarray(0, 5).toString()).toBe('%PDF-');

  for (const label of ['Phase validée', 'Phase non validée', 'Décision ajournée']) expect(await member.getByLabel(label).isChecked()).toBe(false);
  await member.getByLabel('Décision ajournée').check();
  await member.getByLabel('Motivation').fill('Un RSCA de plus est attendu en santé de l’enfant.');
  await member.getByRole('button', { name: 'Enregistrer la décision' }).click();
  await member.getByText('Décision enregistrée : Décision ajournée', { exact: false }).waitFor();
  await screenshot(member, 'jury');
  expect(await accessibilityViolations(member)).toEqual([]);

  await member.reload();
  await member.getByText('— Décision ajournée').waitFor();
  await member.getByRole('button', { name: 'Claire Fabre' }).click();
  await member.getByText('Décision enregistrée : Décision ajournée', { exact: false }).waitFor();
  expect(await member.getByRole('button', { name: 'Enregistrer la décision' }).count()).toBe(0);
  await context.close();

  // The other member of the commission sees it recorded too, and cannot record a second one.
  const otherContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const other = await signIn(otherContext, run.base, 'ines.morel@jury.test', PASSWORD);
  await other.getByRole('button', { name: 'Claire Fabre' }).click();
  await other.getByText('Décision enregistrée : Décision ajournée', { exact: false }).waitFor();
  await other.getByText('Un RSCA de plus est attendu en santé de l’enfant.', { exact: false }).waitFor();
  expect(await other.getByRole('button', { name: 'Enregistrer la décision' }).count()).toBe(0);
  await otherContext.close();
}, 180_000);
