import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { EMBEDDED_ADMIN, EmbeddedRun, startEmbeddedRun } from '../support/embedded-run';
import { accessibilityViolations, launchBrowser, localInput, pick, screenshot, signIn } from './browser';

const fixture = path.resolve(__dirname, '../../../shared/fixtures/users-dumg.csv');

/**
 * The DUMG's staff on a fresh `npm start` (embedded database, no SMTP): from an empty install to
 * the people imported, found, given a role and handed their invitation link, then a tutor
 * assigned and the jury session of the phase opened: the admin's whole job, in the browser.
 */
let run: EmbeddedRun;
let browser: Browser;
beforeAll(async () => {
  run = await startEmbeddedRun({ smtp: false });
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await run?.close();
});

const section = async (page: Page, name: string) => {
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name }).click();
};

describe('the admin of an empty install', () => {
  it('creates the UPP, imports the sample file, gives a role, hands over an invitation link that a new one voids, assigns a tutor and opens a jury session', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The sign-in page says whose it is: on the defaults, the product and the department's default name.
    const welcome = await context.newPage();
    await welcome.goto(run.base);
    await welcome.getByRole('heading', { name: 'Carnet — DES de médecine générale', level: 1 }).waitFor();
    await welcome.getByText('Département de médecine générale', { exact: true }).waitFor();
    expect(await accessibilityViolations(welcome)).toEqual([]);
    await welcome.close();
    const page = await signIn(context, run.base, EMBEDDED_ADMIN.email, EMBEDDED_ADMIN.password);
    await page.getByRole('banner').getByText('Département de médecine générale').waitFor();
    await page.getByRole('link', { name: 'Administration' }).click();
    // The home is the list of people: on an empty install, the admin alone.
    await page.getByRole('heading', { name: 'Utilisateurs', level: 2 }).waitFor();
    await page.getByText('1 utilisateur', { exact: true }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // One UPP from its page, a duplicate refused in French.
    await section(page, 'UPP');
    await page.getByLabel('Code').fill('montpellier');
    await page.getByLabel('Nom', { exact: true }).fill('Montpellier');
    await page.getByRole('button', { name: 'Créer l’UPP' }).click();
    await page.getByRole('cell', { name: 'Montpellier', exact: true }).waitFor();
    await page.getByLabel('Code').fill('montpellier');
    await page.getByLabel('Nom', { exact: true }).fill('Encore');
    await page.getByRole('button', { name: 'Créer l’UPP' }).click();
    await page.getByRole('alert').getByText('Une UPP de code « montpellier » existe déjà.').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // The sample file names four more: the import page says which, and creates them.
    await section(page, 'Import CSV');
    await page.getByLabel('Fichier CSV').setInputFiles(fixture);
    await page.getByRole('button', { name: 'Vérifier (sans importer)' }).click();
    const missing = page.getByRole('region', { name: 'UPP à créer avant l’import' });
    await missing.getByText('beziers, narbonne, nimes, perpignan').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await missing.getByLabel('Nom de l’UPP beziers').fill('Béziers');
    await missing.getByLabel('Nom de l’UPP nimes').fill('Nîmes-Alès-Bagnols-sur-Cèze + Lozère');
    for (const code of ['beziers', 'narbonne', 'nimes', 'perpignan']) {
      await missing.getByRole('button', { name: `Créer l’UPP ${code}` }).click();
      await missing.getByRole('button', { name: `Créer l’UPP ${code}` }).waitFor({ state: 'detached' });
    }
    await page.getByText('Aperçu (rien n’a encore été importé) — 13 création(s)').waitFor();
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await page.getByText('Import effectué — 13 création(s), 0 mise(s) à jour, 0 inchangé(s).').waitFor();
    await screenshot(page, 'admin-import');

    // A person found by part of a name, as it is typed; a role added.
    await section(page, 'Utilisateurs');
    await page.getByLabel('Rechercher (nom ou e-mail)').pressSequentially('fabr');
    await page.getByText('1 utilisateur', { exact: true }).waitFor();
    const row = page.getByRole('row', { name: /FABRE Claire/ });
    await expect(row.getByRole('cell', { name: 'Interne', exact: true }).count()).resolves.toBe(1);
    await row.getByRole('button', { name: 'Modifier Claire Fabre' }).click();
    await page.getByRole('group', { name: 'Rôles de Claire Fabre' }).getByLabel('Jury').check();
    await page.getByRole('button', { name: 'Enregistrer les rôles' }).click();
    await page.getByText('Rôles de Claire Fabre enregistrés : Interne, Jury.').waitFor();
    await row.getByRole('cell', { name: 'Interne, Jury' }).waitFor();
    await screenshot(page, 'admin-users');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A tutor added by hand: no SMTP, so the link to hand over is on screen at once.
    await page.getByRole('button', { name: 'Nouvel utilisateur' }).click();
    await page.getByLabel('E-mail', { exact: true }).fill('anne.costa@msu.example.fr');
    await page.getByLabel('Nom', { exact: true }).fill('Costa');
    await page.getByLabel('Prénom').fill('Anne');
    const roles = page.getByRole('group', { name: 'Rôles', exact: true });
    await roles.getByLabel('Interne').uncheck();
    await roles.getByLabel('Tuteur (MSU)').check();
    await page.getByLabel('UPP de rattachement').selectOption({ label: 'Béziers' });
    await page.getByRole('button', { name: 'Créer et inviter' }).click();
    await page.getByText('Le courriel n’est pas configuré sur ce serveur').waitFor();
    expect(await page.getByLabel('Lien d’invitation d’Anne Costa').inputValue()).toContain('/mot-de-passe?jeton=');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Fermer' }).click();

    // Another leaves: deactivated, reactivated, then anonymised once the warning is read.
    await page.getByLabel('Rechercher (nom ou e-mail)').fill('marchal');
    await page.getByRole('button', { name: 'Modifier Théo Marchal' }).click();
    await page.getByRole('button', { name: 'Désactiver le compte' }).click();
    await page.getByText('Théo Marchal est désactivé(e) et déconnecté(e) partout.').waitFor();
    await page.getByRole('row', { name: /MARCHAL Théo/ }).getByRole('cell', { name: 'Désactivé' }).waitFor();
    await page.getByRole('button', { name: 'Réactiver le compte' }).click();
    await page.getByRole('row', { name: /MARCHAL Théo/ }).getByRole('cell', { name: 'Actif' }).waitFor();
    await page.getByRole('button', { name: 'Anonymiser…' }).click();
    const confirm = page.getByRole('form', { name: 'Anonymiser Théo Marchal ?' });
    await confirm.getByText('Cette action est irréversible.').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await confirm.getByLabel('Motif (inscrit au journal d’audit)').fill('Fin du DES');
    await confirm.getByRole('button', { name: 'Anonymiser définitivement' }).click();
    await page.getByText('Théo Marchal a été anonymisé(e).').waitFor();
    await page.getByText('0 utilisateur', { exact: true }).waitFor();

    // No SMTP: the admin is told so and given the link; a new one voids it.
    await section(page, 'Invitations');
    await page.getByText('Le courriel n’est pas configuré sur ce serveur').first().waitFor();
    await page.getByLabel('Rechercher une personne').fill('yanis');
    await page.getByText('1 invitation', { exact: true }).waitFor();
    await page.getByRole('row', { name: /Yanis Haddad/ }).getByRole('cell', { name: 'Envoyée', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Renvoyer l’invitation de Yanis Haddad' }).click();
    const link = page.getByLabel('Lien d’invitation de Yanis Haddad');
    await link.waitFor();
    const first = await link.inputValue();
    expect(new URL(first).pathname).toBe('/mot-de-passe');
    expect(new URL(first).searchParams.get('jeton')).toMatch(/^[\w-]{40,}$/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Renvoyer l’invitation de Yanis Haddad' }).click();
    await page.waitForFunction((old) => (document.getElementById('invitation-link') as HTMLInputElement | null)?.value !== old, first);
    const second = await link.inputValue();
    expect(second).not.toBe(first);
    await screenshot(page, 'admin-invitations');

    // The people imported are organised: a tutor for an intern, then the jury session of the phase.
    await section(page, 'Tutorats');
    await page.getByRole('heading', { name: 'Attribuer un tuteur' }).waitFor();
    await pick(page, 'Tuteur (MSU)', 'este', 'Paul Estève');
    await pick(page, 'Interne', 'hadd', 'Yanis Haddad');
    await page.getByRole('button', { name: 'Attribuer' }).click();
    await page.getByText('Paul Estève est désormais tuteur de Yanis Haddad.').waitFor();
    await page.getByRole('table', { name: /Tutorats en cours/ }).getByRole('row', { name: /Paul Estève Yanis Haddad 2025/ }).waitFor();
    await section(page, 'Sessions de jury');
    await page.getByLabel('Intitulé').fill('Commission de phase socle');
    await page.getByLabel('Ouverture').fill(localInput(new Date(Date.now() - 3600_000)));
    await page.getByLabel('Fermeture').fill(localInput(new Date(Date.now() + 86_400_000)));
    await pick(page, 'Ajouter un membre du jury', 'ferr', 'Luc Ferrand');
    await pick(page, 'Ajouter un interne', 'hadd', 'Yanis Haddad');
    await page.getByRole('button', { name: 'Créer la session' }).click();
    await page.getByText('Session « Commission de phase socle » créée : 1 membre(s), 1 interne(s).').waitFor();
    await page.getByRole('table', { name: 'Sessions ouvertes' }).getByRole('row', { name: /Commission de phase socle Ouverte Phase socle/ }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // The old link, opened elsewhere, is refused in French.
    const intern = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const stale = await intern.newPage();
    // PUBLIC_URL is unset on the default run: the link names localhost, the test server's port.
    const { pathname, search } = new URL(first);
    await stale.goto(`${run.base}${pathname}${search}`);
    await stale.getByLabel(/Nouveau mot de passe/).fill('une phrase de passe assez longue 2026');
    await stale.getByLabel(/Confirmer/).fill('une phrase de passe assez longue 2026');
    await stale.getByRole('button', { name: /Enregistrer/ }).click();
    await stale.getByRole('alert').getByText('Ce lien n’est plus valable : demandez-en un nouveau.').waitFor();
    expect(await accessibilityViolations(stale)).toEqual([]);
    await intern.close();
    await context.close();
  });
});
