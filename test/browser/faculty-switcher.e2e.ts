import type { Browser, Page } from 'playwright-core';
import { actor, Actor, login, makeUser, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { accessibilityViolations, launchBrowser, listenForBrowser, signIn } from './browser';

/**
 * Two faculties in one deployment, in the browser: the national operator creates them from their
 * page (counts only), and a person who is admin of both moves between them with the keyboard,
 * seeing each faculty's people and never the other's.
 */
const OPERATOR = { email: 'operateur@carnet.example.fr', password: 'operateur-national-2026' };

// A browser journey on a shared two-core machine takes tens of seconds: its own limit, whatever
// the project's default.
jest.setTimeout(120_000);

let app: TestApp;
let browser: Browser;
let base: string;
let admin: Actor;

beforeAll(async () => {
  app = await startTestApp({ CARNET_OPERATOR_EMAIL: OPERATOR.email, CARNET_OPERATOR_PASSWORD: OPERATOR.password });
  base = await listenForBrowser(app.app);
  // The default faculty's people, made while it is the only one (a row's faculty is then implied).
  admin = await actor(app.http, app.dataSource, { roles: ['admin'], firstName: 'Inès', lastName: 'Garnier', email: 'ines.garnier@univ-montpellier.fr' });
  await makeUser(app.dataSource, { roles: ['intern'], firstName: 'Claire', lastName: 'Fabre', email: 'claire.fabre@etu.univ-montpellier.fr' });
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** The row of a faculty in the operator's table, by its name. */
const facultyRow = (page: Page, name: string) => page.getByRole('table', { name: 'Facultés du déploiement' }).getByRole('row', { name: new RegExp(`^${name} créée le`) });
const cells = async (page: Page, name: string) => (await facultyRow(page, name).getByRole('cell').allInnerTexts()).map((text) => text.trim());

describe('faculties in the browser', () => {
  it('the operator creates faculties, sees their counts only, renames one, closes and reopens it after confirming', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, base, OPERATOR.email, OPERATOR.password);
    // Their home is the faculties' page, the only one in their navigation.
    await page.getByRole('heading', { name: 'Facultés', level: 1 }).waitFor();
    await page.waitForFunction(() => window.location.pathname === '/operateur');
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Facultés']);
    expect(await nav.getByRole('link', { name: 'Facultés' }).getAttribute('aria-current')).toBe('page');
    // In no faculty: the banner names the operator, and no faculty.
    await page.getByRole('banner').getByText('Opérateur national', { exact: true }).waitFor();
    expect(await page.getByRole('banner').getByText(/^Faculté :/).count()).toBe(0);
    await page.getByText('1 faculté', { exact: true }).waitFor();
    // The default faculty: code, state, then interns, tutors, juries, admins, traces, exports.
    expect(await cells(page, 'DUMG')).toEqual(['dumg', 'Ouverte', '1', '0', '0', '1', '0', '0', expect.stringContaining('Renommer')]);
    // Counts, never a member's name.
    expect(await page.getByText('Garnier').count()).toBe(0);
    expect(await page.getByText('Fabre').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // A faculty whose first admin is new here: no SMTP, so the link to hand over is on screen.
    await page.getByLabel('Nom de la faculté').fill('DUMG de l’Université de Nîmes');
    await page.getByLabel('Code').fill('nimes');
    const firstAdmin = page.getByRole('group', { name: 'Premier administrateur' });
    await firstAdmin.getByLabel('E-mail').fill('paul.esteve@unimes.fr');
    await firstAdmin.getByLabel('Prénom').fill('Paul');
    await firstAdmin.getByLabel('Nom', { exact: true }).fill('Estève');
    await page.getByRole('button', { name: 'Créer la faculté' }).click();
    await page.getByText('La faculté « DUMG de l’Université de Nîmes » est créée.').waitFor();
    const link = await page.getByLabel('Lien d’invitation de Paul Estève').inputValue();
    expect(new URL(link).pathname).toBe('/mot-de-passe');
    expect(new URL(link).searchParams.get('jeton')).toMatch(/^[\w-]{40,}$/);
    expect(await cells(page, 'DUMG de l’Université de Nîmes')).toEqual(['nimes', 'Ouverte', '0', '0', '0', '1', '0', '0', expect.stringContaining('Renommer')]);
    await page.getByText('2 facultés', { exact: true }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // A code taken is refused in French, beside the field.
    await page.getByLabel('Nom de la faculté').fill('Doublon');
    await page.getByLabel('Code').fill('nimes');
    await firstAdmin.getByLabel('E-mail').fill('quelquun@unimes.fr');
    await firstAdmin.getByLabel('Prénom').fill('Marie');
    await firstAdmin.getByLabel('Nom', { exact: true }).fill('Curie');
    await page.getByRole('button', { name: 'Créer la faculté' }).click();
    await page.getByRole('alert').getByText('Une faculté a déjà le code « nimes ».').waitFor();

    // Renamed, from a dialog that keeps the focus and gives it back.
    await page.getByRole('button', { name: 'Renommer DUMG de l’Université de Nîmes' }).click();
    const rename = page.getByRole('dialog', { name: 'Renommer « DUMG de l’Université de Nîmes »' });
    await rename.getByLabel('Nouveau nom').fill('DUMG de Nîmes');
    expect(await accessibilityViolations(page)).toEqual([]);
    await rename.getByRole('button', { name: 'Renommer' }).click();
    await page.getByText('La faculté s’appelle désormais « DUMG de Nîmes ».').waitFor();
    await facultyRow(page, 'DUMG de Nîmes').waitFor();

    // Closed only once confirmed; Échap first leaves it open.
    await page.getByRole('button', { name: 'Fermer DUMG de Nîmes…' }).click();
    const closing = page.getByRole('dialog', { name: 'Fermer « DUMG de Nîmes » ?' });
    await closing.getByText('Rien n’est supprimé : vous pourrez la rouvrir.', { exact: false }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await closing.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Fermer DUMG de Nîmes…');
    expect((await cells(page, 'DUMG de Nîmes'))[1]).toBe('Ouverte');
    await page.getByRole('button', { name: 'Fermer DUMG de Nîmes…' }).click();
    await closing.getByRole('button', { name: 'Fermer la faculté' }).click();
    await page.getByText('« DUMG de Nîmes » est fermée : ses membres ont été déconnectés.').waitFor();
    expect((await cells(page, 'DUMG de Nîmes'))[1]).toBe('Fermée');
    const closed = await app.http.get('/api/operator/faculties').set('Authorization', `Bearer ${await login(app.http, OPERATOR.email, OPERATOR.password)}`);
    expect(closed.body.find((f: { code: string }) => f.code === 'nimes')).toMatchObject({ name: 'DUMG de Nîmes', active: false });

    await page.getByRole('button', { name: 'Rouvrir DUMG de Nîmes…' }).click();
    await page.getByRole('dialog', { name: 'Rouvrir « DUMG de Nîmes » ?' }).getByRole('button', { name: 'Rouvrir la faculté' }).click();
    await page.getByText('« DUMG de Nîmes » est rouverte : ses membres peuvent de nouveau se connecter.').waitFor();
    expect((await cells(page, 'DUMG de Nîmes'))[1]).toBe('Ouverte');
    expect(await accessibilityViolations(page)).toEqual([]);

    // No faculty's page opens for the operator, even at its address (followed in the page: a
    // reload reads GET /api/me, which the API cannot answer yet for the operator).
    await page.evaluate(() => {
      window.history.pushState(null, '', '/administration');
      window.dispatchEvent(new PopStateEvent('popstate'));
    });
    await page.getByRole('heading', { name: 'Facultés', level: 1 }).waitFor();
    await page.waitForFunction(() => window.location.pathname === '/operateur');
    expect(await page.getByRole('heading', { name: /Administration/ }).count()).toBe(0);
    await context.close();
  });

  it('a person admin of two faculties switches between them with the keyboard and sees each one’s people only', async () => {
    // The operator creates a faculty whose first admin is the default faculty's: the same person,
    // who signs in there with the password they already have.
    const operator = `Bearer ${await login(app.http, OPERATOR.email, OPERATOR.password)}`;
    const created = await app.http
      .post('/api/operator/faculties')
      .set('Authorization', operator)
      .send({ code: 'perpignan', name: 'DUMG de Perpignan', admin: { email: admin.email, firstName: 'Inès', lastName: 'Garnier' } });
    expect(created.status).toBe(201);
    expect(created.body.invitationLink).toBeUndefined();
    const perpignan = created.body.id as string;

    // One person of Perpignan, added by its admin (the same person, in their Perpignan session).
    const moved = await app.http.post('/api/session/faculty').set('Authorization', `Bearer ${await login(app.http, admin.email)}`).send({ facultyId: perpignan });
    expect(moved.status).toBe(200);
    expect(moved.body.user.faculty).toMatchObject({ id: perpignan, name: 'DUMG de Perpignan' });
    const added = await app.http
      .post('/api/admin/users')
      .set('Authorization', `Bearer ${moved.body.accessToken}`)
      .send({ email: 'jordi.puig@perpignan.example.fr', firstName: 'Jordi', lastName: 'Puig', roles: ['jury'] });
    expect(added.status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, base, admin.email, PASSWORD);
    const banner = page.getByRole('banner');
    const usersOf = async () => {
      await page.getByRole('heading', { name: 'Utilisateurs', level: 2 }).waitFor();
      await page.getByRole('status').getByText(/^\d+ utilisateurs?$/).waitFor();
      const names = await page.getByRole('table', { name: 'Utilisateurs trouvés' }).locator('tbody tr td:first-child').allInnerTexts();
      return names.map((name) => name.trim()).sort();
    };
    // Signed in where they last worked: Perpignan.
    const switcher = banner.getByRole('button', { name: 'Faculté : DUMG de Perpignan' });
    await switcher.waitFor();
    expect(await usersOf()).toEqual(['GARNIER Inès', 'PUIG Jordi']);
    expect(await accessibilityViolations(page)).toEqual([]);

    // The menu by keyboard: opened on the current faculty, marked as such.
    await switcher.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'Faculté : DUMG de Perpignan' });
    await menu.waitFor();
    expect(await switcher.getAttribute('aria-expanded')).toBe('true');
    const current = menu.getByRole('menuitemradio', { checked: true });
    expect(await current.innerText()).toContain('DUMG de Perpignan');
    expect(await current.innerText()).toContain('faculté actuelle');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('DUMG de Perpignan');
    expect(await menu.getByRole('menuitemradio').allInnerTexts()).toEqual([expect.stringMatching(/^DUMG\s+Administrateur$/), expect.stringContaining('DUMG de Perpignan')]);
    expect(await accessibilityViolations(page)).toEqual([]);
    // Échap closes it and gives focus back to the button.
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('faculty-switcher-button');

    // ↓ opens it, ↑ reaches the other faculty, Entrée moves there.
    await page.keyboard.press('ArrowDown');
    await menu.waitFor();
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^DUMG\s*Administrateur$/);
    await page.keyboard.press('Enter');
    await banner.getByRole('button', { name: 'Faculté : DUMG', exact: true }).waitFor();
    await banner.getByText('Vous travaillez maintenant dans : DUMG.').waitFor();
    expect(await usersOf()).toEqual(['FABRE Claire', 'GARNIER Inès']);
    expect(await page.getByText('Puig').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);

    // And back, to Perpignan's people only.
    await banner.getByRole('button', { name: 'Faculté : DUMG', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await banner.getByRole('button', { name: 'Faculté : DUMG de Perpignan' }).waitFor();
    expect(await usersOf()).toEqual(['GARNIER Inès', 'PUIG Jordi']);
    expect(await page.getByText('Fabre').count()).toBe(0);

    await context.close();
  });

  it('a person of one faculty sees its name, and no switcher', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, base, 'claire.fabre@etu.univ-montpellier.fr', PASSWORD);
    await page.getByRole('banner').getByText('Faculté : DUMG', { exact: true }).waitFor();
    expect(await page.getByRole('banner').getByRole('button', { name: /^Faculté/ }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
