import type { Browser } from 'playwright-core';
import { actor, Actor, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { accessibilityViolations, launchBrowser, listenForBrowser, signIn } from './browser';

/**
 * The one-time evaluation link in a phone's browser: a hospital senior without an account opens
 * it from the DUMG's mail, is told what is missing, sends the evaluation, and the same link then
 * refuses in French; a link replaced by a newer one says so. The intern then reads the
 * evaluation beside their portfolio.
 */
let app: TestApp;
let browser: Browser;
let base: string;
let admin: Actor;
let intern: Actor;
let stageId: string;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const issue = async (name: string, email: string) =>
  (await app.http.post(`/api/stages/${stageId}/evaluation-links`).set('Authorization', admin.bearer).send({ name, email }).expect(201)).body.url as string;
const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

beforeAll(async () => {
  app = await startTestApp();
  base = await listenForBrowser(app.app);
  admin = await actor(app.http, app.dataSource, { roles: ['admin'] });
  intern = await actor(app.http, app.dataSource, { roles: ['intern'], promotion: 2026, firstName: 'Claire', lastName: 'Fabre' });
  stageId = (
    await app.http
      .post('/api/stages')
      .set('Authorization', admin.bearer)
      .send({ internId: intern.user.id, kind: 'urgences', semester: 2, place: 'CH d’Auch, urgences', startsOn: day(-180), endsOn: day(-7), supervisors: [] })
      .expect(201)
  ).body.id;
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
}, 60_000);

describe('the one-time evaluation link', () => {
  it('is filled in on a phone without signing in, then refused in French; a replaced link says so', async () => {
    const replaced = await issue('Dr Paul Lacaze', 'p.lacaze@ch-auch.test');

    // The DUMG sends the link again from its page: no SMTP here, so the link is on screen to pass on.
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const adminPage = await signIn(adminContext, base, admin.email, PASSWORD);
    await adminPage.getByRole('link', { name: 'Évaluations des stages' }).click();
    await adminPage.getByRole('heading', { name: 'Évaluations de fin de stage', level: 1 }).waitFor();
    await adminPage.getByRole('region', { name: 'Évaluation des stages par les internes' }).getByText('Aucune réponse pour l’instant.').waitFor();
    await adminPage.getByLabel('Stage', { exact: true }).selectOption({ label: `Claire Fabre – urgences – CH d’Auch, urgences (fin le ${day(-7).split('-').reverse().join('/')})` });
    const stageCard = adminPage.getByRole('region', { name: 'Claire Fabre – stage urgences' });
    await stageCard.getByRole('table', { name: 'Liens envoyés' }).getByText('En attente').waitFor();
    expect(await accessibilityViolations(adminPage)).toEqual([]);
    await stageCard.getByLabel('Nom de l’évaluateur').fill('Dr Paul Lacaze');
    await stageCard.getByLabel('Adresse e-mail').fill('p.lacaze@ch-auch.test');
    await stageCard.getByRole('button', { name: 'Envoyer le lien' }).click();
    const handed = stageCard.getByRole('status');
    await handed.getByText('Aucun e-mail ne part de ce serveur : transmettez ce lien à Dr Paul Lacaze', { exact: false }).waitFor();
    await stageCard.getByRole('table', { name: 'Liens envoyés' }).getByText('Remplacé').waitFor();
    const url = (await handed.locator('code').innerText()).replace(/^https?:\/\/[^/]+/, base);
    expect(await accessibilityViolations(adminPage)).toEqual([]);
    await adminContext.close();

    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await page.goto(url);
    await page.getByText('Bonjour Dr Paul Lacaze, le DUMG vous demande d’évaluer').waitFor();
    await page.getByText('Claire Fabre', { exact: true }).waitFor();
    // No sign-in, no navigation: the link opens this form and nothing else.
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Se déconnecter' }).count()).toBe(0);
    const form = page.getByRole('form', { name: 'Évaluation de fin de stage' });
    // Fits the phone's width: nothing to scroll sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Sent with one competence and the proposal missing: each is named in French, nothing is used up.
    const competences = ['Premier recours, urgences', 'Relation, communication, approche centrée patient', 'Approche globale, prise en compte de la complexité', 'Éducation, prévention, dépistage, santé individuelle et communautaire', 'Continuité, suivi, coordination des soins'];
    for (const competence of competences) await form.getByRole('group', { name: competence }).getByLabel('Compétent', { exact: true }).check();
    await form.getByRole('group', { name: 'Continuité, suivi, coordination des soins' }).getByLabel('Non observée pendant ce stage').check();
    await form.getByRole('button', { name: 'Envoyer l’évaluation' }).tap();
    await page.getByRole('alert').getByText('L’évaluation est incomplète ou invalide.').waitFor();
    await form.getByText('niveau manquant pour « Professionnalisme »').waitFor();
    await form.getByText('indiquez si vous proposez la validation du stage').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    await form.getByRole('group', { name: 'Professionnalisme' }).getByLabel('Intermédiaire').check();
    await form.getByLabel('Commentaire libre').fill('Interne fiable, à l’aise aux urgences vitales ; à travailler : la synthèse des transmissions.');
    await form.getByRole('group', { name: 'Proposez-vous la validation du stage ?' }).getByLabel('Oui, je propose la validation').check();
    await form.getByRole('button', { name: 'Envoyer l’évaluation' }).tap();
    await page.getByRole('status').getByText('Merci : votre évaluation de Claire Fabre est transmise au DUMG. Ce lien a servi et ne s’ouvrira plus.').waitFor();
    expect(await page.getByRole('form').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The same link, opened again: refused, in French, and no form.
    await page.reload();
    await page.getByRole('alert').getByText('Ce lien a déjà servi : votre évaluation a été transmise, et un lien ne sert qu’une fois.').waitFor();
    expect(await page.getByRole('form').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The link the reissue replaced, opened from the older mail.
    const older = await context.newPage();
    await older.goto(replaced.replace(/^https?:\/\/[^/]+/, base));
    await older.getByRole('alert').getByText('Ce lien a été remplacé par un plus récent : ouvrez le dernier e-mail reçu du DUMG.').waitFor();
    expect(await older.getByRole('form').count()).toBe(0);
    expect(await accessibilityViolations(older)).toEqual([]);
    await context.close();

    // The intern reads it beside their portfolio.
    const internContext = await browser.newContext(phone);
    const internPage = await signIn(internContext, base, intern.email, PASSWORD);
    await internPage.goto(`${base}/progression`);
    const section = internPage.getByRole('region', { name: 'Évaluations de fin de stage' });
    const evaluation = section.getByRole('article', { name: 'Évaluation de Dr Paul Lacaze' });
    await evaluation.getByText('validation proposée').waitFor();
    await evaluation.getByText('Professionnalisme : Intermédiaire').waitFor();
    await evaluation.getByText('Interne fiable, à l’aise aux urgences vitales', { exact: false }).waitFor();
    expect(await accessibilityViolations(internPage)).toEqual([]);
    await internContext.close();
  }, 180_000);
});
