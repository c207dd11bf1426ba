import type { Browser } from 'playwright-core';
import { actor, Actor, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { accessibilityViolations, launchBrowser, signIn, listenForBrowser } from './browser';

/**
 * A tutor meeting co-signed in the browser: the tutor records it from the intern's progress page
 * (their confirmation given by doing so), the intern confirms it from theirs, and both then see it
 * co-signed and counted.
 */
let app: TestApp;
let browser: Browser;
let base: string;
let intern: Actor;
let tutor: Actor;

const parisDay = (date: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(date);
const heldOn = parisDay(new Date(Date.now() - 7 * 86_400_000));
const heldOnFr = heldOn.split('-').reverse().join('/');

beforeAll(async () => {
  app = await startTestApp();
  base = await listenForBrowser(app.app);
  intern = await actor(app.http, app.dataSource, { roles: ['intern'], promotion: 2026, firstName: 'Claire', lastName: 'Fabre' });
  tutor = await actor(app.http, app.dataSource, { roles: ['tutor'], firstName: 'Anne', lastName: 'Vidal' });
  await app.dataSource.query(`INSERT INTO tutorship (tutor_id, intern_id, promotion) VALUES ($1, $2, 2026)`, [tutor.user.id, intern.user.id]);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('a tutor meeting', () => {
  it('is recorded by the tutor, confirmed by the intern, and then co-signed for both', async () => {
    const tutorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tutorPage = await signIn(tutorContext, base, tutor.email, PASSWORD);
    await tutorPage.goto(`${base}/progression/${intern.user.id}`);
    const section = tutorPage.getByRole('region', { name: 'Rencontres de tutorat' });
    await section.getByText('Aucune rencontre enregistrée.').waitFor();
    expect(await accessibilityViolations(tutorPage)).toEqual([]);
    await section.getByLabel('Date de la rencontre').fill(heldOn);
    await section.getByLabel('Ce qui a été discuté').fill('Le premier RSCA et la gestion du temps en consultation.');
    await section.getByLabel('Prochains objectifs').fill('Un RSCA sur une situation de soins palliatifs.');
    await section.getByRole('button', { name: 'Enregistrer la rencontre' }).click();
    const recorded = section.getByRole('article', { name: `Rencontre du ${heldOnFr}` });
    await recorded.getByText('En attente de la confirmation de l’interne').waitFor();
    // The tutor confirmed it by recording it: nothing left for them to confirm.
    expect(await recorded.getByRole('button', { name: /Confirmer/ }).count()).toBe(0);
    // Before the intern confirms, the tutor may still correct it.
    await recorded.getByRole('button', { name: `Modifier la rencontre du ${heldOnFr}` }).click();
    const edit = recorded.getByRole('form', { name: `Modifier la rencontre du ${heldOnFr}` });
    await edit.getByLabel('Prochains objectifs').fill('Deux RSCA, dont un sur une situation de soins palliatifs.');
    expect(await accessibilityViolations(tutorPage)).toEqual([]);
    await edit.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await recorded.getByText('Deux RSCA, dont un sur une situation de soins palliatifs.').waitFor();
    await recorded.getByText('En attente de la confirmation de l’interne').waitFor();
    expect(await accessibilityViolations(tutorPage)).toEqual([]);

    const internContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const internPage = await signIn(internContext, base, intern.email, PASSWORD);
    await internPage.goto(`${base}/progression`);
    const mine = internPage.getByRole('region', { name: 'Rencontres de tutorat' }).getByRole('article', { name: `Rencontre du ${heldOnFr}` });
    await mine.getByText('Deux RSCA, dont un sur une situation de soins palliatifs.').waitFor();
    expect(await accessibilityViolations(internPage)).toEqual([]);
    await mine.getByRole('button', { name: `Confirmer la rencontre du ${heldOnFr}` }).click();
    await mine.getByText('Cosignée', { exact: true }).waitFor();
    await internPage.getByText('1 rencontre cosignée au cours des 12 derniers mois.').waitFor();
    // Co-signed: final for both.
    expect(await mine.getByRole('button').count()).toBe(0);
    expect(await accessibilityViolations(internPage)).toEqual([]);

    await tutorPage.reload();
    await recorded.getByText('Cosignée', { exact: true }).waitFor();
    await recorded.getByText('Interne (Claire Fabre) : confirmé le', { exact: false }).waitFor();
    expect(await recorded.getByRole('button').count()).toBe(0);
    await internContext.close();
    await tutorContext.close();

    const progress = await app.http.get(`/api/portfolios/${intern.user.id}/progress`).set('Authorization', tutor.bearer).expect(200);
    expect(progress.body.meetings).toEqual({ coSigned: 1, last12Months: 1 });
  });
});
