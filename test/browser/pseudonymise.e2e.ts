import type { Browser } from 'playwright-core';
import { actor, Actor, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { accessibilityViolations, launchBrowser, signIn, listenForBrowser } from './browser';

/**
 * Pseudonymising in one gesture: the editor lists what could identify a patient, each with
 * « Remplacer par … »; a replacement is an ordinary edit (autosaved), and the tutor's review says
 * what was replaced and what was left.
 */
const TEXT = 'Mme Lucienne Moreau, née le 3 mars 1932, consulte pour une toux. Sa fille est joignable au 06 12 34 56 78.';

let app: TestApp;
let browser: Browser;
let base: string;
let intern: Actor;
let tutor: Actor;
let traceId: string;

beforeAll(async () => {
  app = await startTestApp();
  base = await listenForBrowser(app.app);
  intern = await actor(app.http, app.dataSource, { roles: ['intern'], promotion: 2026, firstName: 'Claire', lastName: 'Fabre' });
  tutor = await actor(app.http, app.dataSource, { roles: ['tutor'], firstName: 'Anne', lastName: 'Vidal' });
  await app.dataSource.query(`INSERT INTO tutorship (tutor_id, intern_id, promotion) VALUES ($1, $2, 2026)`, [tutor.user.id, intern.user.id]);
  const created = await app.http
    .post('/api/traces')
    .set('Authorization', intern.bearer)
    .send({ kind: 'trace', title: 'Une toux qui traîne', content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: TEXT }] }] }, competences: ['relation'], familles: ['aigu'] });
  expect(created.status).toBe(201);
  traceId = created.body.id;
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('the record of a replacement', () => {
  it('is the author’s, of a known kind, while the trace is editable; the report is the conversation’s', async () => {
    const stranger = await actor(app.http, app.dataSource, { roles: ['intern'] });
    const otherTutor = await actor(app.http, app.dataSource, { roles: ['tutor'] });
    const replaced = (who: Actor, body: object) => app.http.post(`/api/traces/${traceId}/identifiers/replaced`).set('Authorization', who.bearer).send(body);
    expect((await app.http.post(`/api/traces/${traceId}/identifiers/replaced`).send({ kind: 'name' })).status).toBe(401);
    expect((await replaced(stranger, { kind: 'name' })).status).toBe(404);
    expect((await replaced(tutor, { kind: 'name' })).status).toBe(403);
    expect((await replaced(intern, { kind: 'surname' })).status).toBe(422);
    expect((await app.http.get(`/api/traces/${traceId}/identifiers`).set('Authorization', otherTutor.bearer)).status).toBe(404);
    const report = await app.http.get(`/api/traces/${traceId}/identifiers`).set('Authorization', intern.bearer);
    expect(report.status).toBe(200);
    expect(report.body.warnings.map((w: { kind: string }) => w.kind)).toEqual(['name', 'birth_date', 'phone']);
    expect(report.body.replaced).toEqual({});
    const rows = await app.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'trace.identifier_replaced'`);
    expect(rows[0].n).toBe(0);
  });
});

describe('in the browser', () => {
  it('replaces a name in one gesture, autosaves it, and the tutor sees what was replaced and what was left', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, base, intern.email, PASSWORD);
    await page.goto(`${base}/traces/${traceId}`);
    const panel = page.getByRole('region', { name: /Données identifiantes/ });
    const name = panel.getByRole('listitem').filter({ hasText: 'Mme Lucienne Moreau' });
    await name.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await name.getByRole('button', { name: 'Remplacer par « Mme L. M. »' }).click();
    const editor = page.getByRole('textbox', { name: 'Contenu de la trace' });
    await editor.getByText('Mme L. M., née le 3 mars 1932', { exact: false }).waitFor();
    await panel.getByText('« Mme Lucienne Moreau » remplacé par « Mme L. M. ».').waitFor();
    expect(await name.count()).toBe(0);
    await page.getByText('Enregistré', { exact: true }).waitFor({ timeout: 15_000 });

    const saved = await app.http.get(`/api/traces/${traceId}`).set('Authorization', intern.bearer);
    expect(JSON.stringify(saved.body.content)).not.toContain('Lucienne');
    expect(JSON.stringify(saved.body.content)).toContain('Mme L. M., née le 3 mars 1932');
    await context.close();

    expect((await app.http.post(`/api/traces/${traceId}/submit`).set('Authorization', intern.bearer)).status).toBe(200);
    expect((await app.http.post(`/api/traces/${traceId}/identifiers/replaced`).set('Authorization', intern.bearer).send({ kind: 'phone' })).status).toBe(409);

    const tutorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const review = await signIn(tutorContext, base, tutor.email, PASSWORD);
    await review.goto(`${base}/relectures/${traceId}`);
    const seen = review.getByRole('region', { name: 'Données identifiantes' });
    await seen.getByText('Remplacées par l’interne : 1 (1 nom).').waitFor();
    await seen.getByText('date de naissance : « 3 mars 1932 »').waitFor();
    await seen.getByText('téléphone : « 06 12 34 56 78 »').waitFor();
    expect(await accessibilityViolations(review)).toEqual([]);
    await tutorContext.close();
  });
});
