import type { Browser } from 'playwright-core';
import { actor, Actor, login, makeUser, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { accessibilityViolations, launchBrowser, listenForBrowser, pick, signIn } from './browser';

/**
 * A portfolio that follows its intern, in the browser: faculty A's admin releases it from
 * « Transferts de portfolio » (intern picker, faculty, confirmation); faculty B's admin sees it
 * offered with its counts and accepts it after confirming; the intern, signed in at B, finds their
 * trace marked « Validée à » A.
 */
jest.setTimeout(120_000);

let app: TestApp;
let browser: Browser;
let base: string;
let aAdmin: Actor;
let bAdminEmail: string;
let internEmail: string;

const content = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Une consultation à A' }] }] };

beforeAll(async () => {
  app = await startTestApp({ CARNET_OPERATOR_EMAIL: 'operateur@carnet.test', CARNET_OPERATOR_PASSWORD: PASSWORD });
  base = await listenForBrowser(app.app);
  // Faculty A's people, made while it is the only one.
  aAdmin = await actor(app.http, app.dataSource, { roles: ['admin'], firstName: 'Inès', lastName: 'Garnier' });
  const tutor = await actor(app.http, app.dataSource, { roles: ['tutor'], firstName: 'Amélie', lastName: 'Tutrice' });
  const intern = await actor(app.http, app.dataSource, { roles: ['intern'], firstName: 'Claire', lastName: 'Mobile', upp: 'montpellier', email: 'claire.mobile@etu.test' });
  internEmail = intern.email;
  const as = (who: Actor) => ({ Authorization: who.bearer });
  await app.http.post('/api/tutorships').set(as(aAdmin)).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
  const trace = (await app.http.post('/api/traces').set(as(intern)).send({ kind: 'rsca', title: 'RSCA écrit à A', content, competences: ['relation'], familles: [] }).expect(201)).body;
  await app.http.post(`/api/traces/${trace.id}/submit`).set(as(intern)).send({}).expect(200);
  await app.http.post(`/api/traces/${trace.id}/validate`).set(as(tutor)).send({}).expect(200);

  const operator = await login(app.http, 'operateur@carnet.test');
  const created = await app.http.post('/api/operator/faculties').set('Authorization', `Bearer ${operator}`).send({ code: 'lyon', name: 'DUMG de Lyon', admin: { email: 'premier@lyon.test', firstName: 'P', lastName: 'Admin' } });
  expect(created.status).toBe(201);
  bAdminEmail = (await makeUser(app.dataSource, { roles: ['admin'], facultyId: created.body.id, firstName: 'Bruno', lastName: 'Lyonnais', email: 'bruno.admin@lyon.test' })).email;
  // Lyon has imported the intern's account (same address) before accepting.
  await makeUser(app.dataSource, { roles: ['intern'], facultyId: created.body.id, firstName: 'Claire', lastName: 'Mobile', email: intern.email, upp: 'lyon-centre' });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('a portfolio transfer in the browser', () => {
  it('A releases, B accepts after confirming, the intern finds their trace « Validée à » A', async () => {
    const [{ name: aName }] = await app.dataSource.query(`SELECT name FROM faculty WHERE code = 'dumg'`);

    const a = await signIn(await browser.newContext({ viewport: { width: 1280, height: 900 } }), base, aAdmin.email, PASSWORD);
    await a.goto(`${base}/administration/transferts`);
    await a.getByRole('heading', { name: 'Transférer un portfolio vers une autre faculté' }).waitFor();
    await pick(a, 'Interne', 'Mobi', 'Claire Mobile');
    await a.getByLabel('Faculté d’accueil').selectOption({ label: 'DUMG de Lyon' });
    await a.getByRole('button', { name: 'Proposer le transfert…' }).click();
    await a.getByRole('heading', { name: 'Transférer le portfolio de Claire Mobile vers DUMG de Lyon ?' }).waitFor();
    expect(await accessibilityViolations(a)).toEqual([]);
    await a.getByRole('button', { name: 'Confirmer le transfert' }).click();
    await a.getByRole('status').getByText('Le portfolio de Claire Mobile est proposé à DUMG de Lyon.', { exact: false }).waitFor();
    const outgoing = a.getByRole('table', { name: /Transferts envoyés/ });
    await outgoing.getByRole('row', { name: /Claire Mobile.*DUMG de Lyon.*En attente/ }).waitFor();
    await outgoing.getByRole('button', { name: 'Annuler le transfert du portfolio de Claire Mobile' }).waitFor();
    expect(await accessibilityViolations(a)).toEqual([]);

    const b = await signIn(await browser.newContext({ viewport: { width: 1280, height: 900 } }), base, bAdminEmail, PASSWORD);
    await b.goto(`${base}/administration/transferts`);
    const incoming = b.getByRole('table', { name: /Transferts reçus/ });
    const row = incoming.getByRole('row', { name: /Claire Mobile/ });
    await row.getByText('1 trace (dont 1 validée)', { exact: false }).waitFor();
    expect(await row.getByText('Une consultation').count()).toBe(0); // counts, never content
    await row.getByRole('button', { name: 'Accepter le portfolio de Claire Mobile' }).focus();
    await b.keyboard.press('Enter');
    const confirm = b.getByRole('form', { name: `Accepter le portfolio de Claire Mobile (${aName}) ?` });
    await confirm.getByText(`« validé à ${aName} »`, { exact: false }).waitFor();
    expect(await accessibilityViolations(b)).toEqual([]);
    await confirm.getByRole('button', { name: 'Confirmer : accepter le portfolio' }).click();
    await b.getByRole('status').getByText('Le portfolio de Claire Mobile est arrivé dans votre faculté.', { exact: false }).waitFor();
    await incoming.getByRole('row', { name: /Claire Mobile.*Accepté le/ }).waitFor();

    // A's list shows it accepted, with nothing left to cancel.
    await a.reload();
    await a.getByRole('table', { name: /Transferts envoyés/ }).getByRole('row', { name: /Claire Mobile.*Accepté le/ }).waitFor();

    const intern = await signIn(await browser.newContext({ viewport: { width: 1280, height: 900 } }), base, internEmail, PASSWORD);
    await intern.goto(`${base}/traces`);
    await intern.getByText(`Validée à ${aName} par Amélie Tutrice`).waitFor();
    expect(await accessibilityViolations(intern)).toEqual([]);
  });
});
