import type { Browser } from 'playwright-core';
import { actor, Actor, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { accessibilityViolations, launchBrowser, listenForBrowser, signIn } from './browser';

/**
 * Attendance by QR code, on phones: the lead opens the session's page and shows the room's code,
 * an intern signed in opens the address the code holds and is marked present once; opening it
 * again is refused in French; the lead sees it on the roll and ticks another intern by hand.
 */
let app: TestApp;
let browser: Browser;
let base: string;
let admin: Actor;
let lead: Actor;
let intern: Actor;
let other: Actor;
let sessionId: string;

const PHONE = { width: 390, height: 844 };
const TITLE = 'Séminaire UPM : la relation médecin-patient';

beforeAll(async () => {
  app = await startTestApp();
  base = await listenForBrowser(app.app);
  admin = await actor(app.http, app.dataSource, { roles: ['admin'], upp: 'montpellier' });
  lead = await actor(app.http, app.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Lucie', lastName: 'Responsable' });
  intern = await actor(app.http, app.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026, firstName: 'Claire', lastName: 'Fabre' });
  other = await actor(app.http, app.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026, firstName: 'Hugo', lastName: 'Martin' });
  const created = await app.http
    .post('/api/teaching-sessions')
    .set('Authorization', admin.bearer)
    .send({
      title: TITLE,
      kind: 'seminaire_upm',
      startsAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      endsAt: new Date(Date.now() + 120 * 60_000).toISOString(),
      place: 'Faculté de médecine, amphithéâtre A',
      promotions: [2026],
      uppCodes: ['montpellier'],
      capacity: 40,
      mandatory: true,
      phase: 'socle',
      leadId: lead.user.id,
    })
    .expect(201);
  sessionId = created.body.id;
  for (const who of [intern, other]) await app.http.post(`/api/teaching-sessions/${sessionId}/registrations`).set('Authorization', admin.bearer).send({ internId: who.user.id }).expect(201);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('attendance by the room’s QR code', () => {
  it('marks a signed-in intern present once, shown to the lead on their phone', async () => {
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const adminPage = await signIn(adminContext, base, admin.email, PASSWORD);
    await adminPage.goto(`${base}/enseignements`);
    await adminPage.getByRole('heading', { name: 'Publier une séance' }).waitFor();
    await adminPage.getByRole('link', { name: TITLE }).waitFor();
    expect(await accessibilityViolations(adminPage)).toEqual([]);
    await adminContext.close();

    const leadContext = await browser.newContext({ viewport: PHONE });
    const leadPage = await signIn(leadContext, base, lead.email, PASSWORD);
    await leadPage.goto(`${base}/enseignements/${sessionId}`);
    await leadPage.getByRole('heading', { name: TITLE }).waitFor();
    await leadPage.getByRole('button', { name: 'Afficher le QR code' }).click();
    const qr = leadPage.getByRole('img', { name: 'QR code de présence à scanner par les internes' });
    await qr.waitFor();
    const box = await qr.boundingBox();
    // Whole on the phone's screen, and large enough to be scanned from a seat.
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    expect(box!.width).toBeGreaterThan(250);
    expect(await leadPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await accessibilityViolations(leadPage)).toEqual([]);
    const address = new URL((await qr.getAttribute('data-url'))!);
    expect(address.pathname).toMatch(/^\/presence\/[A-Za-z0-9_-]{48}$/);

    const internContext = await browser.newContext({ viewport: PHONE });
    const internPage = await signIn(internContext, base, intern.email, PASSWORD);
    await internPage.goto(`${base}${address.pathname}`);
    await internPage.getByText(`Présence enregistrée : ${TITLE},`, { exact: false }).waitFor();
    expect(await accessibilityViolations(internPage)).toEqual([]);
    // Not over yet: nothing missed, one to come, in the intern's progress.
    await internPage.goto(`${base}/progression`);
    const teaching = internPage.getByRole('region', { name: 'Enseignements obligatoires de la phase' });
    await teaching.getByText('Aucune séance obligatoire tenue pour l’instant. 1 à venir.').waitFor();
    await teaching.getByRole('link', { name: 'Exporter les présences aux enseignements (CSV)' }).waitFor();
    expect(await accessibilityViolations(internPage)).toEqual([]);
    // The same code again: a replay.
    await internPage.goto(`${base}${address.pathname}`);
    await internPage.getByRole('alert').getByText(`Ce code a déjà servi : votre présence à « ${TITLE} » est enregistrée, inutile de scanner à nouveau.`).waitFor();
    expect(await accessibilityViolations(internPage)).toEqual([]);
    await internContext.close();

    // On the lead's roll: present by QR code; the other intern ticked by hand, thumb-sized.
    await leadPage.reload();
    const roll = leadPage.getByRole('region', { name: /^Présences/ });
    await roll.getByText('Claire Fabre (QR code)').waitFor();
    expect(await roll.getByRole('group', { name: 'Claire Fabre' }).getByRole('button', { name: 'Présent' }).getAttribute('aria-pressed')).toBe('true');
    const tick = roll.getByRole('group', { name: 'Hugo Martin' }).getByRole('button', { name: 'Présent' });
    expect((await tick.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await tick.click();
    await leadPage.getByRole('status').getByText('Hugo Martin : présent(e).').waitFor();
    await roll.getByRole('heading', { name: 'Présences (2 / 2)' }).waitFor();
    expect(await accessibilityViolations(leadPage)).toEqual([]);
    await leadContext.close();

    const session = await app.http.get(`/api/teaching-sessions/${sessionId}`).set('Authorization', lead.bearer).expect(200);
    expect(session.body.roll.map((r: { attendance: { status: string; via: string } }) => [r.attendance.status, r.attendance.via])).toEqual([
      ['present', 'code'],
      ['present', 'list'],
    ]);
  });
});
