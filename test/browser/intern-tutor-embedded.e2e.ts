import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { EMBEDDED_ADMIN, EmbeddedRun, startEmbeddedRun } from '../support/embedded-run';
import { accessibilityViolations, clickAtEnd, launchBrowser, signIn } from './browser';

/**
 * The intern's and the tutor's whole job on the product as `npm start` runs it with no SMTP
 * (PGlite, BullMQ on it, local disk): the intern from the invitation link the admin hands over to
 * a downloaded PDF, the tutor from the inbox to a validation with a highlighted comment.
 */
const PASSWORD = 'Glycémie capillaire à jeun 2026';
const INTERN_PASSWORD = 'Auscultation cardiaque du mardi 2026';
const TITLE = 'Une lombalgie chez un maçon';

let run: EmbeddedRun;
let browser: Browser;
let invitation: string;

const call = <T = Record<string, unknown>>(method: string, path: string, token: string | null, body?: unknown) => run.call<T>(method, path, token, body);


beforeAll(async () => {
  [run, browser] = await Promise.all([startEmbeddedRun({ smtp: false }), launchBrowser()]);
  const admin = (await call<{ accessToken: string }>('POST', '/auth/login', null, EMBEDDED_ADMIN)).accessToken;
  await call('POST', '/admin/upps', admin, { code: 'montpellier', name: 'Montpellier-Nîmes' });
  const tutor = await call<{ id: string }>('POST', '/admin/users', admin, {
    email: 'anne.vidal@msu.test',
    firstName: 'Anne',
    lastName: 'Vidal',
    roles: ['tutor'],
    upp: 'montpellier',
    password: PASSWORD,
  });
  // No password: an invitation, whose link the admin is shown since no mail can carry it.
  const intern = await call<{ id: string; invitation?: { mailed: boolean; link?: string } }>('POST', '/admin/users', admin, {
    email: 'claire.fabre@etu.test',
    firstName: 'Claire',
    lastName: 'Fabre',
    roles: ['intern'],
    upp: 'montpellier',
    promotion: 2025,
  });
  expect(intern.invitation?.mailed).toBe(false);
  const link = new URL(intern.invitation!.link!);
  invitation = `${run.base}${link.pathname}${link.search}`;
  await call('POST', '/tutorships', admin, { tutorId: tutor.id, internId: intern.id });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await run?.close();
});

it('takes a trace from the invitation to a validated, highlighted, exported and downloaded PDF', async () => {
  // The intern opens the link, chooses a password and is signed in.
  const internContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const intern = await internContext.newPage();
  await intern.goto(invitation);
  await intern.getByRole('heading', { name: 'Choisir un mot de passe' }).waitFor();
  expect(await accessibilityViolations(intern)).toEqual([]);
  await intern.getByLabel('Nouveau mot de passe (12 caractères au moins)').fill(INTERN_PASSWORD);
  await intern.getByLabel('Confirmer le mot de passe').fill(INTERN_PASSWORD);
  await intern.getByRole('button', { name: 'Enregistrer et me connecter' }).click();
  await intern.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  expect(new URL(intern.url()).pathname).toBe('/');
  expect(await accessibilityViolations(intern)).toEqual([]);

  // Writes an RSCA and submits it, after a confirmation naming the tutor.
  await intern.getByLabel('Titre', { exact: true }).fill(TITLE);
  await intern.getByRole('button', { name: 'Créer' }).click();
  const editor = intern.getByRole('textbox', { name: 'Contenu de la trace' });
  await editor.waitFor();
  await clickAtEnd(editor.getByRole('heading', { name: 'Récit de la situation' }));
  await intern.keyboard.press('Enter');
  await intern.keyboard.type('Un maçon de 52 ans consulte pour une lombalgie apparue en soulevant un parpaing, sans signe neurologique.');
  await intern.getByLabel('Premier recours, urgences').check();
  await intern.getByText('Enregistré', { exact: true }).waitFor();
  expect(await accessibilityViolations(intern)).toEqual([]);
  await intern.getByRole('button', { name: 'Soumettre à mon tuteur' }).click();
  const confirm = intern.getByRole('dialog', { name: 'Soumettre à Anne Vidal, qui assure votre tutorat ?' });
  await confirm.waitFor();
  expect(await accessibilityViolations(intern)).toEqual([]);
  await confirm.getByRole('button', { name: 'Soumettre', exact: true }).click();
  await intern.getByText('Trace soumise à Anne Vidal.').waitFor();

  // The tutor, from the inbox: comments a passage (highlighted), then validates.
  const tutorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tutor = await signIn(tutorContext, run.base, 'anne.vidal@msu.test', PASSWORD);
  await tutor.getByRole('link', { name: TITLE }).waitFor();
  expect(await accessibilityViolations(tutor)).toEqual([]);
  await tutor.getByRole('link', { name: TITLE }).click();
  const text = tutor.getByRole('textbox', { name: /Texte de la trace/ });
  const passage = text.getByText(/Un maçon de 52 ans/);
  await passage.waitFor();
  // Selects "lombalgie", as a mouse drag over the word would.
  await passage.evaluate((element) => {
    const node = [...element.childNodes].find((n) => n.textContent?.includes('lombalgie'))!;
    const start = node.textContent!.indexOf('lombalgie');
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, start + 'lombalgie'.length);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  });
  await tutor.getByRole('button', { name: 'Commenter ce passage' }).waitFor();
  await tutor.getByLabel('Commentaire', { exact: true }).fill('As-tu cherché des signes d’alerte ?');
  await tutor.getByRole('button', { name: 'Commenter ce passage' }).click();
  await tutor.getByText('As-tu cherché des signes d’alerte ?').waitFor();
  await text.locator('.comment-highlight').first().waitFor();
  await expect(text.locator('.comment-highlight').allTextContents()).resolves.toEqual(['lombalgie']);
  expect(await accessibilityViolations(tutor)).toEqual([]);
  await tutor.getByRole('button', { name: 'Valider la trace' }).click();
  await tutor.getByRole('button', { name: 'Confirmer' }).click();
  await tutor.getByText('Aucune trace n’attend votre relecture.').waitFor();
  await tutorContext.close();

  // The intern sees the highlighted passage, then exports the portfolio and downloads the PDF.
  await intern.reload();
  await intern.getByText('Validée', { exact: true }).waitFor();
  await editor.locator('.comment-highlight').first().waitFor();
  await expect(editor.locator('.comment-highlight').allTextContents()).resolves.toEqual(['lombalgie']);
  await intern.getByRole('link', { name: 'Ma progression' }).click();
  await intern.getByText(/^Phase .* · 1 trace\(s\) validée\(s\)$/).waitFor();
  expect(await accessibilityViolations(intern)).toEqual([]);
  await intern.getByRole('button', { name: 'Exporter en PDF' }).click();
  await intern.getByText(/^Export PDF prêt/).waitFor({ timeout: 60_000 });
  const link = intern.getByRole('table', { name: 'Exports terminés' }).getByRole('link', { name: /^Télécharger le PDF du / });
  const [download] = await Promise.all([intern.waitForEvent('download'), link.click()]);
  expect(fs.readFileSync((await download.path())!).subarray(0, 5).toString()).toBe('%PDF-');
  expect(await accessibilityViolations(intern)).toEqual([]);
  await internContext.close();
}, 240_000);
