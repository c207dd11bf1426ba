import type { Browser } from 'playwright-core';
import { actor, Actor, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { accessibilityViolations, launchBrowser, listenForBrowser, pick, signIn } from './browser';

/**
 * The thesis and a GEPT group in the browser: the intern declares their thesis and sends their
 * director (who has no account) a link; the director comments through it once; the tutor reads
 * it beside the portfolio. Then the admin forms a GEPT group, whose lead, on a phone, ticks
 * attendance and reads the write-up an intern linked to the meeting.
 */
let app: TestApp;
let browser: Browser;
let base: string;
let admin: Actor;
let intern: Actor;
let tutor: Actor;
let lead: Actor;
let others: Actor[];

const parisDay = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(date);
const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

beforeAll(async () => {
  app = await startTestApp();
  base = await listenForBrowser(app.app);
  admin = await actor(app.http, app.dataSource, { roles: ['admin'] });
  intern = await actor(app.http, app.dataSource, { roles: ['intern'], promotion: 2025, firstName: 'Inès', lastName: 'Moreau' });
  tutor = await actor(app.http, app.dataSource, { roles: ['tutor'], firstName: 'Anne', lastName: 'Vidal' });
  lead = await actor(app.http, app.dataSource, { roles: ['tutor'], firstName: 'Marc', lastName: 'Garcia' });
  others = [];
  for (const lastName of ['Bonnet', 'Caron', 'Dumas', 'Faure', 'Girard']) others.push(await actor(app.http, app.dataSource, { roles: ['intern'], promotion: 2025, firstName: 'Interne', lastName }));
  await app.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the thesis and the GEPT group', () => {
  it('are kept by the intern, commented by the director through a single-use link, and read by the tutor', async () => {
    const internContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(internContext, base, intern.email, PASSWORD);
    await page.getByRole('link', { name: 'Ma thèse' }).click();
    await page.getByRole('heading', { name: 'Déclarer ma thèse' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Sujet').fill('La prévention des chutes du sujet âgé en soins primaires');
    await page.getByLabel('Un autre médecin, sans compte Carnet').check();
    await page.getByLabel('Nom du directeur').fill('Dr Hélène Roux');
    await page.getByLabel('Adresse e-mail du directeur').fill('helene.roux@chu.test');
    await page.getByRole('button', { name: 'Déclarer ma thèse' }).click();
    await page.getByText('Thèse déclarée : ses étapes sont celles de votre faculté.').waitFor();

    const step = page.getByRole('form', { name: 'Fiche de thèse déposée' });
    await step.getByLabel('Franchie le').fill(parisDay(new Date(Date.now() - 3 * 86_400_000)));
    await step.getByRole('button', { name: 'Enregistrer l’étape « Fiche de thèse déposée »' }).click();
    await page.getByText('Étape « Fiche de thèse déposée » enregistrée.').waitFor();
    const steps = page.getByRole('table', { name: 'Étapes de la thèse' });
    await steps.getByRole('row', { name: /Fiche de thèse déposée/ }).getByText('Franchie').waitFor();

    await page.getByRole('button', { name: 'Envoyer un lien à mon directeur' }).click();
    const link = page.locator('.director-link a');
    await link.waitFor();
    const mailed = new URL((await link.getAttribute('href'))!);
    expect(mailed.pathname).toBe('/direction-these');
    expect(mailed.hash).toMatch(/^#jeton=/);
    // The mail's address is the deployment's public one; the test's server listens elsewhere.
    const url = `${base}${mailed.pathname}${mailed.hash}`;
    expect(await accessibilityViolations(page)).toEqual([]);

    // The director, signed in nowhere, on their phone.
    const directorContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const director = await directorContext.newPage();
    await director.goto(url);
    await director.getByText('Bonjour Dr Hélène Roux, voici la thèse de').waitFor();
    await director.getByRole('heading', { name: 'La prévention des chutes du sujet âgé en soins primaires' }).waitFor();
    expect(await accessibilityViolations(director)).toEqual([]);
    await director.getByLabel('Commentaire pour Inès Moreau').fill('Précisez la population étudiée avant le comité.');
    await director.getByRole('button', { name: 'Envoyer le commentaire' }).click();
    await director.getByText('Merci : votre commentaire est transmis à Inès Moreau.', { exact: false }).waitFor();
    await director.reload();
    await director.getByText('Ce lien a déjà servi', { exact: false }).waitFor();
    expect(await director.getByLabel('Commentaire pour Inès Moreau').count()).toBe(0);
    await directorContext.close();

    await page.reload();
    await page.getByText('Précisez la population étudiée avant le comité.').waitFor();
    await page.getByText('utilisé', { exact: false }).waitFor();
    await internContext.close();

    const tutorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tutorPage = await signIn(tutorContext, base, tutor.email, PASSWORD);
    await tutorPage.goto(`${base}/progression/${intern.user.id}`);
    const panel = tutorPage.getByRole('region', { name: 'Thèse' });
    await panel.getByText('La prévention des chutes du sujet âgé en soins primaires').waitFor();
    await panel.getByText('Précisez la population étudiée avant le comité.').waitFor();
    await panel.getByText(/^Dr Hélène Roux, le .+ \(par lien, sans compte\)$/).waitFor();
    // Read-only for the tutor.
    expect(await panel.getByRole('button').count()).toBe(0);
    expect(await accessibilityViolations(tutorPage)).toEqual([]);
    await tutorContext.close();
  }, 240_000);

  it('lets the lead tick attendance on a phone and read the write-up linked to the meeting', async () => {
    // The admin forms the group.
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const adminPage = await signIn(adminContext, base, admin.email, PASSWORD);
    await adminPage.goto(`${base}/administration/gept`);
    const form = adminPage.getByRole('form', { name: 'Former un groupe GEPT' });
    await form.getByLabel('Intitulé').fill('GEPT Montpellier — mardi');
    await form.getByLabel('Année (de novembre à octobre)').fill('2026');
    await pick(adminPage, 'Animateur (MSU)', 'Garcia', 'Marc Garcia');
    await pick(adminPage, 'Internes du groupe', 'Moreau', 'Inès Moreau');
    // Five interns are too few: the refusal says so, and nothing is created.
    for (const name of ['Bonnet', 'Caron', 'Dumas', 'Faure']) await pick(adminPage, 'Internes du groupe', name, `Interne ${name}`);
    await form.getByRole('button', { name: 'Créer le groupe' }).click();
    await form.getByText('un groupe réunit de 6 à 10 internes').first().waitFor();
    await pick(adminPage, 'Internes du groupe', 'Girard', 'Interne Girard');
    await form.getByRole('button', { name: 'Créer le groupe' }).click();
    await adminPage.getByText('Groupe « GEPT Montpellier — mardi » créé.').waitFor();
    await adminPage.getByRole('table', { name: 'Groupes GEPT de la faculté' }).getByRole('row', { name: /GEPT Montpellier — mardi/ }).waitFor();
    expect(await accessibilityViolations(adminPage)).toEqual([]);
    await adminContext.close();
    const [created] = (await app.http.get('/api/gept-groups').set('Authorization', admin.bearer).expect(200)).body.items;
    const group = { body: created as { id: string } };
    const heldOn = parisDay(new Date(Date.now() - 2 * 86_400_000));
    const heldOnFr = heldOn.split('-').reverse().join('/');
    await app.http.post(`/api/gept-groups/${group.body.id}/meetings`).set('Authorization', lead.bearer).send({ heldOn, cases: ['Lombalgie et arrêt de travail', 'Dépistage du cancer colorectal refusé'] }).expect(201);
    const trace = await app.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'gept', title: 'GEPT de décembre', competences: [], familles: [], content: paragraph('Nous avons discuté de la lombalgie commune.') }).expect(201);
    await app.http.post(`/api/traces/${trace.body.id}/submit`).set('Authorization', intern.bearer).expect(200);

    // The intern links their write-up to the meeting from the group's page.
    const internContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const internPage = await signIn(internContext, base, intern.email, PASSWORD);
    await internPage.goto(`${base}/gept/${group.body.id}`);
    const meeting = internPage.getByRole('article', { name: `Séance du ${heldOnFr}` });
    await meeting.getByLabel('Rattacher mon compte rendu GEPT à cette séance').selectOption({ label: 'GEPT de décembre' });
    await meeting.getByRole('button', { name: 'Rattacher' }).click();
    await internPage.getByText(`Compte rendu rattaché à la séance du ${heldOnFr}.`).waitFor();
    expect(await accessibilityViolations(internPage)).toEqual([]);
    await internContext.close();

    const leadContext = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const leadPage = await signIn(leadContext, base, lead.email, PASSWORD);
    // The write-up waits in the lead's inbox too, said to be of their GEPT group.
    await leadPage.getByRole('row', { name: /GEPT de décembre Membre de votre groupe GEPT/ }).waitFor();
    await leadPage.getByRole('link', { name: 'GEPT', exact: true }).click();
    await leadPage.getByRole('link', { name: 'GEPT Montpellier — mardi' }).click();
    const card = leadPage.getByRole('article', { name: `Séance du ${heldOnFr}` });
    await card.getByText('Lombalgie et arrêt de travail').waitFor();
    expect(await accessibilityViolations(leadPage)).toEqual([]);
    const row = card.getByRole('group', { name: `Inès Moreau, Séance du ${heldOnFr}` });
    const present = row.getByRole('button', { name: 'Présent' });
    // Thumb-sized on a phone.
    const box = (await present.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await present.tap();
    await leadPage.getByText(`Inès Moreau : présent le ${heldOnFr}.`).waitFor();
    expect(await row.getByRole('button', { name: 'Présent' }).getAttribute('aria-pressed')).toBe('true');
    await card.getByRole('group', { name: `Interne Bonnet, Séance du ${heldOnFr}` }).getByRole('button', { name: 'Absent' }).tap();
    await leadPage.getByText(`Interne Bonnet : absent le ${heldOnFr}.`).waitFor();
    const tally = leadPage.getByRole('table', { name: 'Présences aux séances tenues' });
    expect(await tally.getByRole('row', { name: /Inès Moreau/ }).innerText()).toMatch(/Inès Moreau\s+1\s+0\s+0/);
    expect(await tally.getByRole('row', { name: /Interne Bonnet/ }).innerText()).toMatch(/Interne Bonnet\s+0\s+1\s+0/);

    await card.getByRole('button', { name: `Lire les comptes rendus (1) : Séance du ${heldOnFr}` }).tap();
    await card.getByText('Nous avons discuté de la lombalgie commune.').waitFor();
    await card.getByText('GEPT de décembre — Inès Moreau', { exact: false }).waitFor();
    // No horizontal scrolling on the phone.
    expect(await leadPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await accessibilityViolations(leadPage)).toEqual([]);

    // The lead comments on the write-up beside the tutor; the decision stays the tutor's.
    await card.getByRole('link', { name: 'Commenter : GEPT de décembre, Inès Moreau' }).tap();
    await leadPage.getByText('Vous lisez ce compte rendu en tant qu’animateur du groupe GEPT', { exact: false }).waitFor();
    expect(await leadPage.getByRole('button', { name: 'Valider la trace' }).count()).toBe(0);
    await leadPage.getByLabel('Commentaire', { exact: true }).fill('Bonne synthèse des repères pour l’arrêt de travail.');
    await leadPage.getByRole('button', { name: 'Commenter', exact: true }).tap();
    await leadPage.getByText('Bonne synthèse des repères pour l’arrêt de travail.').waitFor();
    expect(await accessibilityViolations(leadPage)).toEqual([]);
    await leadContext.close();
  }, 240_000);
});
