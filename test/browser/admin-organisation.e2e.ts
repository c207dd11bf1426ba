import type { Browser } from 'playwright-core';
import { EMBEDDED_ADMIN, EmbeddedRun, startEmbeddedRun } from '../support/embedded-run';
import { accessibilityViolations, launchBrowser, localInput, pick, screenshot, signIn } from './browser';

/**
 * The DUMG's staff organising a year on the product as `npm start` runs it (PGlite, BullMQ on
 * it, local disk): a tutor assigned with the combobox and the keyboard, then the tutorship ended;
 * a binôme stage and its fee split; a requirement changed; a jury session composed, edited and
 * closed; each of these found in the audit log.
 */
const PASSWORD = 'Auscultation pulmonaire 2026 !';

let run: EmbeddedRun;
let browser: Browser;
let ids: Record<string, string> = {};

async function call<T = Record<string, unknown>>(method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${run.base}/api${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}
async function ok<T = Record<string, unknown>>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const response = await call<T>(method, path, token, body);
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
const login = async (email: string, password = PASSWORD) => (await ok<{ accessToken: string }>('POST', '/auth/login', null, { email, password })).accessToken;

const spaces = (text: string) => text.replace(/\s+/g, ' ');

beforeAll(async () => {
  [run, browser] = await Promise.all([startEmbeddedRun(), launchBrowser()]);
  const admin = await login(EMBEDDED_ADMIN.email, EMBEDDED_ADMIN.password);
  await ok('POST', '/admin/upps', admin, { code: 'montpellier', name: 'Montpellier-Nîmes' });
  const user = async (key: string, firstName: string, lastName: string, roles: string[], extra: object = {}) =>
    (ids[key] = (await ok<{ id: string }>('POST', '/admin/users', admin, { email: `${key}@dumg.test`, firstName, lastName, roles, upp: 'montpellier', password: PASSWORD, ...extra })).id);
  await user('claire', 'Claire', 'Fabre', ['intern'], { promotion: 2026 });
  await user('david', 'David', 'Martin', ['intern'], { promotion: 2026 });
  await user('anne', 'Anne', 'Vidal', ['tutor']);
  await user('bruno', 'Bruno', 'Garnier', ['tutor']);
  await user('jeanne', 'Jeanne', 'Mercier', ['jury']);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await run?.close();
});

describe('the admin organises tutorships, stages, requirements and juries', () => {
  it('does it in the browser, and finds it in the audit log', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await signIn(context, run.base, EMBEDDED_ADMIN.email, EMBEDDED_ADMIN.password);
    const nav = page.getByRole('navigation', { name: 'Administration' });

    // Tutorships: a tutor picked by typing part of the name, with the keyboard.
    await page.goto(`${run.base}/administration/tutorats`);
    await page.getByRole('heading', { name: 'Attribuer un tuteur' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await pick(page, 'Tuteur (MSU)', 'vid', 'Anne Vidal');
    await pick(page, 'Interne', 'fab', 'Claire Fabre');
    await page.getByRole('button', { name: 'Attribuer' }).click();
    await page.getByText('Anne Vidal est désormais tuteur de Claire Fabre.').waitFor();
    const current = page.getByRole('table', { name: /Tutorats en cours/ });
    await current.getByRole('row', { name: /Anne Vidal Claire Fabre 2026/ }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // The same MSU for another intern of the promotion: refused, and the rule said in French.
    await page.getByRole('combobox', { name: 'Interne', exact: true }).fill('');
    await pick(page, 'Interne', 'mart', 'David Martin');
    await page.getByRole('button', { name: 'Attribuer' }).click();
    await page.getByRole('alert').getByText(/un MSU tutore au plus un interne par promotion. La règle vaut pendant tout le DES/).waitFor();

    // Ended with a reason, after confirmation: it moves to the past tutorships.
    await page.getByRole('button', { name: 'Mettre fin au tutorat de Claire Fabre par Anne Vidal' }).click();
    await page.getByLabel('Motif de la fin du tutorat').fill('Changement de tuteur à la demande de l’interne');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Confirmer la fin du tutorat' }).click();
    await page.getByText(/Le tutorat de Claire Fabre par Anne Vidal est terminé/).waitFor();
    await current.getByText('Aucun tutorat en cours pour ces critères.').waitFor();
    await page.getByRole('button', { name: 'Terminés' }).click();
    await page.getByRole('table', { name: /Tutorats terminés/ }).getByRole('row', { name: /Anne Vidal Claire Fabre 2026 .* Changement de tuteur à la demande de l’interne/ }).waitFor();
    await screenshot(page, 'admin-tutorats');

    // A binôme stage: the 422 beside the MSU, then the stage and its fee split in euros.
    await nav.getByRole('link', { name: 'Stages' }).click();
    await page.getByRole('heading', { name: 'Créer un stage' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await pick(page, 'Interne du stage', 'fab', 'Claire Fabre');
    await page.getByLabel('Premier jour').fill('2026-11-02');
    await page.getByLabel('Dernier jour').fill('2027-05-02');
    await page.getByLabel('Lieu (cabinet, service)').fill('Maison de santé de Lodève');
    await pick(page, 'MSU n° 1', 'vid', 'Anne Vidal');
    await pick(page, 'MSU n° 2', 'garn', 'Bruno Garnier');
    await page.getByLabel('Demi-journées par semaine, MSU n° 2').fill('3');
    await page.getByRole('button', { name: 'Créer le stage' }).click();
    await page.locator('.supervisor .field-error').getByText(/au moins 8 demi-journées par semaine au total/).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Demi-journées par semaine, MSU n° 2').fill('5');
    await page.getByRole('button', { name: 'Créer le stage' }).click();
    await page.getByText('Stage créé : stage chez le praticien niveau 1, semestre 1, pour Claire Fabre.').waitFor();
    const fees = page.getByRole('table', { name: 'Répartition des honoraires' });
    await fees.waitFor();
    expect(spaces(await fees.getByRole('row', { name: /Anne Vidal/ }).innerText())).toBe('Anne Vidal 4 44,44 % 1 600,00 €');
    expect(spaces(await fees.getByRole('row', { name: /Bruno Garnier/ }).innerText())).toBe('Bruno Garnier 5 55,56 % 2 000,00 €');
    expect(spaces(await fees.getByRole('row', { name: /Total/ }).innerText())).toBe('Total 3 600,00 €');
    await page.getByRole('table', { name: 'Stages : 1' }).getByRole('row', { name: /Claire Fabre Stage chez le praticien niveau 1/ }).waitFor();
    await page.getByLabel('Filtrer par type').selectOption('urgences');
    await page.getByRole('table', { name: 'Stages : 0' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-stages');

    // A requirement: two RSCA for the socle, as a new version.
    await nav.getByRole('link', { name: 'Exigences' }).click();
    await page.getByRole('button', { name: 'Modifier : Phase socle' }).click();
    await page.getByLabel('RSCA', { exact: true }).fill('2');
    // The attendance rules: six GEPT a year, every mandatory session of the phase.
    await page.getByLabel('Participations à un GEPT par an (au moins)').fill('6');
    await page.getByRole('checkbox', { name: 'Toutes les séances obligatoires de la phase' }).check();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Enregistrer une nouvelle version' }).click();
    await page.getByText('Phase socle : version 2 enregistrée.').waitFor();
    await page.getByRole('row', { name: /Phase socle 2 × RSCA.*6 GEPT par an ; toutes les séances obligatoires/ }).waitFor();
    expect((await ok<{ phase: string; version: number; rules: { kinds: { rsca: number } } }[]>('GET', '/requirements', await login(EMBEDDED_ADMIN.email, EMBEDDED_ADMIN.password))).find((r) => r.phase === 'socle')).toMatchObject({
      version: 2,
      rules: { kinds: { rsca: 2 }, geptMeetingsPerYear: 6, mandatoryTeaching: true },
    });

    // A jury session: composed with the combobox, edited, then closed.
    await nav.getByRole('link', { name: 'Sessions de jury' }).click();
    await page.getByRole('heading', { name: 'Créer une session de jury' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Intitulé').fill('Commission socle — décembre');
    await page.getByLabel('Ouverture').fill(localInput(new Date(Date.now() - 3600_000)));
    await page.getByLabel('Fermeture').fill(localInput(new Date(Date.now() + 86_400_000)));
    await pick(page, 'Ajouter un membre du jury', 'merc', 'Jeanne Mercier');
    await pick(page, 'Ajouter un interne', 'fab', 'Claire Fabre');
    await pick(page, 'Ajouter un interne', 'mart', 'David Martin');
    await page.getByRole('button', { name: 'Retirer David Martin' }).click();
    await page.getByRole('list', { name: 'Internes' }).getByText('Claire Fabre').waitFor();
    expect(await page.getByRole('list', { name: 'Internes' }).getByText('David Martin').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Créer la session' }).click();
    await page.getByText('Session « Commission socle — décembre » créée : 1 membre(s), 1 interne(s).').waitFor();
    await page.getByRole('table', { name: 'Sessions ouvertes' }).getByRole('row', { name: /Commission socle — décembre Ouverte Phase socle/ }).waitFor();
    const jury = await login('jeanne@dumg.test');
    const [session] = await ok<{ id: string }[]>('GET', '/jury-sessions', jury);
    await ok('GET', `/jury-sessions/${session.id}/interns/${ids.claire}/portfolio`, jury);

    await page.getByRole('button', { name: 'Modifier la session Commission socle — décembre' }).click();
    await page.getByRole('heading', { name: 'Modifier la session « Commission socle — décembre »' }).waitFor();
    await page.getByLabel('Intitulé').fill('Commission socle — décembre 2026');
    await pick(page, 'Ajouter un interne', 'mart', 'David Martin');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByText('Session « Commission socle — décembre 2026 » modifiée.').waitFor();
    await page.getByRole('button', { name: 'Internes et décisions : Commission socle — décembre 2026' }).click();
    const decisions = page.getByRole('table', { name: 'Décision enregistrée par interne' });
    await decisions.getByRole('row', { name: /Claire Fabre 2026 Pas encore de décision/ }).waitFor();
    await decisions.getByRole('row', { name: /David Martin 2026 Pas encore de décision/ }).waitFor();

    await page.getByRole('button', { name: 'Clore la session Commission socle — décembre 2026' }).click();
    await page.getByRole('heading', { name: 'Clore la session « Commission socle — décembre 2026 » maintenant ?' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Confirmer la clôture' }).click();
    await page.getByText('Session « Commission socle — décembre 2026 » close : ses membres n’ont plus accès aux portfolios.').waitFor();
    await page.getByRole('table', { name: 'Sessions closes' }).getByRole('row', { name: /Commission socle — décembre 2026 Close/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Modifier la session Commission socle — décembre 2026' }).count()).toBe(0);
    // The member noticed: the portfolio is gone.
    expect((await call('GET', `/jury-sessions/${session.id}/interns/${ids.claire}/portfolio`, jury)).status).toBe(404);
    await screenshot(page, 'admin-jurys');

    // The audit log: each of these actions, in French, newest first.
    await nav.getByRole('link', { name: /Journal d.audit/ }).click();
    const log = page.getByRole('table', { name: /Entrées :/ });
    await log.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    for (const action of ['Tutorat commencé', 'Tutorat terminé', 'Stage créé', 'Exigences modifiées', 'Session de jury créée', 'Session de jury modifiée', 'Session de jury close']) {
      await page.getByLabel('Action', { exact: true }).selectOption({ label: action });
      await page.getByRole('table', { name: 'Entrées : 1' }).getByRole('cell', { name: action, exact: true }).waitFor();
    }
    // By author: the admin's own actions, their name in each row.
    await pick(page, 'Auteur de l’action', 'administ', 'Administration DUMG');
    await page.getByRole('table', { name: 'Entrées : 1' }).getByRole('row', { name: /Session de jury close Administration DUMG Session de jury/ }).waitFor();
    await page.getByRole('combobox', { name: 'Auteur de l’action' }).fill('');
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Toutes les actions' });
    await screenshot(page, 'admin-journal');
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    await page.getByLabel('Depuis le').fill(day);
    await log.getByRole('cell', { name: 'Session de jury close', exact: true }).waitFor();
    const yesterday = new Date(today.getTime() - 86_400_000);
    await page.getByLabel('Jusqu’au (inclus)').fill(`${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, '0')}-${String(yesterday.getDate()).padStart(2, '0')}`);
    await page.getByText('Aucune entrée pour ces critères.').waitFor();
    // Dates in the French way: jj/mm/aaaa.
    await page.getByLabel('Jusqu’au (inclus)').fill('');
    await log.getByRole('cell', { name: 'Session de jury close', exact: true }).waitFor();
    const first = await log.getByRole('row').nth(1).getByRole('cell').first().innerText();
    expect(first).toMatch(/^\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  }, 240_000);
});
