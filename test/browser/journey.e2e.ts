import fs from 'node:fs';
import type { Browser, Locator } from 'playwright-core';
import { makeUser, PASSWORD } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { accessibilityViolations, clickAtEnd, launchBrowser, screenshot, signIn, listenForBrowser } from './browser';

/**
 * The product in a real browser (Debian's Chromium) against the real API, database, queue and
 * worker: the whole journey of a trace, the conflict banner, the admin import.
 */
let api: TestApp;
let browser: Browser;
let base: string;
let emails: { admin: string; intern: string; tutor: string };

/** Whether an element is inside the visible part of the window. */
const inView = (locator: Locator) => locator.evaluate((el) => {
  const box = el.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
});


beforeAll(async () => {
  api = await startTestApp({ EXPORT_RETRY_DELAY_MS: '200' }, { worker: true });
  base = await listenForBrowser(api.app);
  const admin = await makeUser(api.dataSource, { roles: ['admin'], upp: 'montpellier', firstName: 'Nadia', lastName: 'Bessière' });
  const intern = await makeUser(api.dataSource, { roles: ['intern'], upp: 'montpellier', promotion: 2026, firstName: 'Claire', lastName: 'Fabre' });
  const tutor = await makeUser(api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Anne', lastName: 'Vidal' });
  await api.dataSource.query(`INSERT INTO tutorship (tutor_id, intern_id, promotion) VALUES ($1, $2, 2026)`, [tutor.id, intern.id]);
  emails = { admin: admin.email, intern: intern.email, tutor: tutor.email };
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('a trace, from the intern’s first line to the exported PDF', () => {
  it('is written, submitted, commented, reworked, validated and exported', async () => {
    const internContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const tutorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const intern = await signIn(internContext, base, emails.intern, PASSWORD);
    expect(await accessibilityViolations(intern)).toEqual([]);

    // The intern starts an RSCA: it opens on its six sections.
    await intern.getByLabel('Titre', { exact: true }).fill('Une douleur thoracique en fin de consultation');
    await intern.getByRole('button', { name: 'Créer' }).click();
    const editor = intern.getByRole('textbox', { name: 'Contenu de la trace' });
    await editor.waitFor();
    await expect(editor.getByRole('heading', { name: 'Récit de la situation' }).count()).resolves.toBe(1);
    await clickAtEnd(editor.getByRole('heading', { name: 'Récit de la situation' }));
    await intern.keyboard.press('Enter');
    await intern.keyboard.type('Un homme de 67 ans consulte pour renouveler son traitement ; en partant, il évoque une douleur thoracique.');
    await intern.getByLabel('Premier recours, urgences').check();
    await intern.getByLabel('Patients atteints de maladies chroniques, polymorbidité à forte prévalence').check();
    await intern.getByText('Enregistré', { exact: true }).waitFor();
    // The toolbar: named icons with their shortcut, one tab stop, arrows move along it.
    const bold = intern.getByRole('toolbar', { name: 'Mise en forme' }).getByRole('button', { name: 'Gras' });
    expect(await bold.getAttribute('aria-keyshortcuts')).toBe('Control+B');
    await expect(bold.locator('.tip').textContent()).resolves.toBe('Gras (Ctrl+B)');
    await bold.focus();
    await intern.keyboard.press('ArrowRight');
    expect(await intern.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Italique');
    await intern.keyboard.press('End');
    expect(await intern.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Rétablir');
    await screenshot(intern, 'editeur');
    expect(await accessibilityViolations(intern)).toEqual([]);
    // Submitting asks first, and says to whom the trace goes.
    await intern.getByRole('button', { name: 'Soumettre à mon tuteur' }).click();
    const confirm = intern.getByRole('dialog', { name: 'Soumettre à Anne Vidal, qui assure votre tutorat ?' });
    await confirm.waitFor();
    expect(await confirm.getByRole('button', { name: 'Soumettre', exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await accessibilityViolations(intern)).toEqual([]);
    await intern.keyboard.press('Escape'); // the keyboard closes it, nothing is submitted
    await confirm.waitFor({ state: 'hidden' });
    await intern.getByText('Enregistré', { exact: true }).waitFor();
    await intern.getByRole('button', { name: 'Soumettre à mon tuteur' }).click();
    await confirm.getByRole('button', { name: 'Soumettre', exact: true }).click();
    await intern.getByText('Trace soumise à Anne Vidal.').waitFor();

    // The tutor finds it in the inbox, comments a passage, requests changes.
    const tutor = await signIn(tutorContext, base, emails.tutor, PASSWORD);
    await tutor.getByRole('link', { name: 'Relectures' }).click();
    await screenshot(tutor, 'relectures');
    await tutor.getByRole('link', { name: 'Une douleur thoracique en fin de consultation' }).click();
    const text = tutor.getByRole('textbox', { name: /Texte de la trace/ });
    await text.getByText('douleur thoracique', { exact: false }).waitFor();
    // Select "douleur thoracique" with the mouse: press before it, release after it.
    const passage = text.getByText(/Un homme de 67 ans/);
    const box = (await passage.boundingBox())!;
    await passage.click({ position: { x: 4, y: box.height - 6 } });
    await tutor.keyboard.down('Shift');
    await passage.click({ position: { x: box.width * 0.3, y: box.height - 6 } });
    await tutor.keyboard.up('Shift');
    await tutor.getByRole('button', { name: 'Commenter ce passage' }).waitFor();
    await tutor.getByLabel('Commentaire', { exact: true }).fill('Quels signes de gravité as-tu cherchés ?');
    await tutor.getByRole('button', { name: 'Commenter ce passage' }).click();
    await tutor.getByText('Quels signes de gravité as-tu cherchés ?').waitFor();
    const quoteLink = tutor.locator('.comments .quote-link').first();
    const quote = (await quoteLink.textContent())!.match(/^« (\S.*) » : voir ce passage dans le texte$/)?.[1]; // anchored to the selected passage
    expect(quote).toBeTruthy();
    // The commented passage is highlighted in the text, exactly over the quote.
    await text.locator('.comment-highlight').first().waitFor();
    await expect(text.locator('.comment-highlight').allTextContents()).resolves.toEqual([quote]);
    // Scrolled away, a click on the comment's quote brings the passage back into view and marks it.
    await tutor.setViewportSize({ width: 1280, height: 420 });
    await tutor.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const highlighted = text.locator('.comment-highlight');
    expect(await inView(highlighted)).toBe(false);
    await quoteLink.click();
    await tutor.locator('.comment-highlight.active').waitFor();
    expect(await inView(highlighted)).toBe(true);
    // And the other way: a click on the highlighted passage brings its comment to the keyboard.
    await highlighted.click();
    await expect(tutor.evaluate(() => document.activeElement?.textContent ?? '')).resolves.toContain('Quels signes de gravité as-tu cherchés ?');
    await tutor.setViewportSize({ width: 1280, height: 900 });
    await screenshot(tutor, 'relecture');
    expect(await accessibilityViolations(tutor)).toEqual([]);
    await tutor.getByRole('button', { name: 'Demander des modifications' }).click();
    await tutor.getByLabel('Ce qu’il faut reprendre (obligatoire)').fill('Ajoute ta recherche documentaire.');
    await tutor.getByRole('button', { name: 'Confirmer' }).click();
    await tutor.getByRole('heading', { name: 'Traces à relire' }).waitFor();

    // The intern sees what to rework, first thing above the text, edits, resubmits.
    await intern.getByRole('link', { name: 'Mes traces' }).click();
    await intern.getByRole('heading', { name: 'À reprendre (1)' }).waitFor();
    await intern.getByRole('link', { name: 'Une douleur thoracique en fin de consultation' }).first().click();
    await intern.getByText('Quels signes de gravité as-tu cherchés ?').waitFor();
    const banner = intern.getByRole('region', { name: 'Ce qu’il faut reprendre' });
    await banner.getByText('Ajoute ta recherche documentaire.').waitFor();
    const internText = intern.getByRole('textbox', { name: 'Contenu de la trace' });
    expect((await banner.boundingBox())!.y).toBeLessThan((await internText.boundingBox())!.y);
    expect(await inView(banner)).toBe(true);
    // The tutor's passage is highlighted in the intern's editor too.
    await internText.locator('.comment-highlight').first().waitFor();
    await expect(internText.locator('.comment-highlight').allTextContents()).resolves.toEqual([quote]);
    await screenshot(intern, 'a-reprendre');
    expect(await accessibilityViolations(intern)).toEqual([]);
    await clickAtEnd(intern.getByRole('textbox', { name: 'Contenu de la trace' }).getByRole('heading', { name: 'Recherche documentaire' }));
    await intern.keyboard.press('Enter');
    await intern.keyboard.type('Recommandations de la HAS sur le syndrome coronarien chronique.');
    await intern.getByText('Enregistré', { exact: true }).waitFor();
    await intern.getByRole('button', { name: 'Soumettre à mon tuteur' }).click();
    await intern.getByRole('dialog', { name: /^Soumettre à Anne Vidal/ }).getByRole('button', { name: 'Soumettre', exact: true }).click();
    await intern.getByText('Trace soumise à Anne Vidal.').waitFor();

    // The tutor sees what changed since the version they reviewed, then validates.
    await tutor.reload();
    await tutor.getByRole('link', { name: 'Une douleur thoracique en fin de consultation' }).click();
    const changes = tutor.getByRole('region', { name: 'Modifications depuis votre dernière relecture' });
    const added = changes.locator('ins');
    await added.first().waitFor();
    const insertions = await added.allTextContents();
    expect(insertions).toHaveLength(1);
    expect(insertions[0]).toMatch(/^ajouté : \+ .*Recommandations de la HAS sur le syndrome coronarien chronique\.$/);
    const deletions = await changes.locator('del').allTextContents();
    expect(deletions.every((line) => line.startsWith('supprimé : − '))).toBe(true);
    // What the intern left untouched is shown as context, neither inserted nor deleted.
    await changes.getByText('Un homme de 67 ans consulte', { exact: false }).waitFor();
    expect(await accessibilityViolations(tutor)).toEqual([]);
    await tutor.getByRole('button', { name: 'Valider la trace' }).click();
    await tutor.getByRole('button', { name: 'Confirmer' }).click();
    await tutor.getByText('Aucune trace n’attend votre relecture.').waitFor();
    // From the inbox, the tutee's progress page, where the tutor exports the portfolio too.
    await tutor.getByRole('link', { name: 'Claire Fabre' }).click();
    await tutor.getByRole('heading', { name: 'Progression de Claire Fabre' }).waitFor();
    await tutor.getByRole('button', { name: 'Exporter en PDF' }).click();
    await tutor.getByText(/^Export PDF prêt/).waitFor({ timeout: 30_000 });
    await expect(tutor.getByRole('table', { name: 'Exports terminés' }).getByRole('link', { name: /^Télécharger le PDF du / }).count()).resolves.toBe(1);

    // The intern's progress, then the export and its download.
    await intern.getByRole('link', { name: 'Ma progression' }).click();
    await intern.getByRole('heading', { name: 'Ma progression' }).waitFor();
    await intern.getByText('Phase socle · 1 trace(s) validée(s)').waitFor();
    expect(await accessibilityViolations(intern)).toEqual([]);
    await intern.getByRole('button', { name: 'Exporter en PDF' }).click();
    await intern.getByText(/^Export PDF prêt/).waitFor({ timeout: 30_000 });
    // The finished export is listed with its date, format and size, and is still there after a reload.
    await intern.reload();
    const exports = intern.getByRole('table', { name: 'Exports terminés' });
    const row = exports.getByRole('row').nth(1);
    await row.waitFor();
    await expect(exports.getByRole('row').count()).resolves.toBe(2); // hers alone, not the tutor's
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells[0]).toMatch(/^\d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}$/);
    expect(cells[1]).toMatch(/^PDF/);
    expect(cells[2]).toMatch(/^\d+(,\d)? (Ko|Mo)$/);
    const link = row.getByRole('link', { name: /^Télécharger le PDF du / });
    await screenshot(intern, 'progression');
    const [download] = await Promise.all([intern.waitForEvent('download'), link.click()]);
    const file = await download.path();
    expect(fs.readFileSync(file!).subarray(0, 5).toString()).toBe('%PDF-');
    await internContext.close();
    await tutorContext.close();
  });
});

describe('submitting a trace that may name a patient', () => {
  it('lists the warnings in the confirmation, offers to correct first, and submits nothing then', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, base, emails.intern, PASSWORD);
    await page.getByLabel('Titre', { exact: true }).fill('Une chute à domicile');
    await page.getByRole('button', { name: 'Créer' }).click();
    const editor = page.getByRole('textbox', { name: 'Contenu de la trace' });
    await clickAtEnd(editor.getByRole('heading', { name: 'Récit de la situation' }));
    await page.keyboard.press('Enter');
    await page.keyboard.type('Mme Dupont, née le 12/03/1941, a chuté dans sa cuisine.');
    await page.getByText('Enregistré', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Soumettre à mon tuteur' }).click();
    const dialog = page.getByRole('dialog', { name: 'Soumettre à Anne Vidal, qui assure votre tutorat ?' });
    const warnings = dialog.getByRole('region', { name: 'Données qui pourraient identifier un patient' });
    // Each finding quotes what it found: the name, the birth date.
    await warnings.getByRole('listitem').filter({ hasText: 'Dupont' }).first().waitFor();
    await warnings.getByRole('listitem').filter({ hasText: '12/03/1941' }).first().waitFor();
    expect(await dialog.getByRole('button', { name: 'Corriger' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await dialog.getByRole('button', { name: 'Soumettre quand même' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Corriger' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Focus is back on the button that opened the dialog, and the trace is still a draft.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Soumettre à mon tuteur');
    await page.getByText('Brouillon', { exact: true }).waitFor();
    await context.close();
  });
});

describe('unsaved work', () => {
  it('survives a reload before the autosave, and a network cut', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, base, emails.intern, PASSWORD);
    await page.getByLabel('Titre', { exact: true }).fill('Hors ligne');
    await page.getByRole('button', { name: 'Créer' }).click();
    const editor = page.getByRole('textbox', { name: 'Contenu de la trace' });
    await editor.waitFor();
    await page.getByText('Enregistré', { exact: true }).waitFor();

    // The network drops: the editor says so, keeps the text, and saves when it comes back.
    await context.setOffline(true);
    await editor.click();
    await page.keyboard.type('Écrit dans le train, sans réseau.');
    await page.getByText(/^Hors ligne/).waitFor({ timeout: 15_000 });
    await context.setOffline(false);
    await page.getByText('Enregistré', { exact: true }).waitFor({ timeout: 15_000 });

    // Typed, then the page reloads before the autosave: the text comes back from this device.
    await page.keyboard.type(' Puis rechargé trop tôt.');
    await page.reload();
    await page.getByText('Vos modifications non enregistrées ont été restaurées depuis cet appareil.').waitFor();
    await page.getByText('Puis rechargé trop tôt.', { exact: false }).waitFor();
    await page.getByText('Enregistré', { exact: true }).waitFor({ timeout: 15_000 });
    await context.close();
  });
});

describe('two tabs saving the same trace', () => {
  it('shows the conflict banner in the late tab, which can keep its text', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const first = await signIn(context, base, emails.intern, PASSWORD);
    await first.getByLabel('Titre', { exact: true }).fill('Deux onglets');
    await first.getByRole('button', { name: 'Créer' }).click();
    await first.getByRole('textbox', { name: 'Contenu de la trace' }).waitFor();
    const url = first.url();
    const second = await context.newPage();
    await second.goto(url);
    await second.getByRole('textbox', { name: 'Contenu de la trace' }).waitFor();

    await first.getByRole('textbox', { name: 'Contenu de la trace' }).click();
    await first.keyboard.type('Écrit dans le premier onglet.');
    await first.getByText('Enregistré', { exact: true }).waitFor();
    await second.getByRole('textbox', { name: 'Contenu de la trace' }).click();
    await second.keyboard.type('Écrit dans le second onglet.');
    await second.getByText('Cette trace a été enregistrée ailleurs').waitFor();
    await screenshot(second, 'conflit');
    await second.getByRole('button', { name: 'Garder mes modifications' }).click();
    await second.getByText('Enregistré', { exact: true }).waitFor();
    const saved = await second.evaluate(async (id) => ((await (await fetch(`/api/traces/${id}`)).json()) as { content: unknown }).content, url.split('/').pop());
    expect(JSON.stringify(saved)).toContain('Écrit dans le second onglet.');
    await context.close();
  });
});

describe('the phase', () => {
  it('is assessed by the tutor and decided by a jury member in an open session', async () => {
    const jury = await makeUser(api.dataSource, { roles: ['jury'], upp: 'montpellier', firstName: 'Luc', lastName: 'Ferrand' });
    const [intern] = await api.dataSource.query(`SELECT id FROM app_user WHERE email = $1`, [emails.intern]);
    await api.dataSource.query(
      `WITH s AS (INSERT INTO jury_session (title, phase, opens_at, closes_at) VALUES ('Commission socle', 'socle', now() - interval '1 hour', now() + interval '1 day') RETURNING id)
       , m AS (INSERT INTO jury_member (session_id, user_id) SELECT id, $1 FROM s)
       INSERT INTO jury_intern (session_id, intern_id) SELECT id, $2 FROM s`,
      [jury.id, intern.id],
    );
    const tutorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const tutor = await signIn(tutorContext, base, emails.tutor, PASSWORD);
    await tutor.getByRole('link', { name: 'Claire Fabre' }).click();
    await tutor.getByRole('combobox', { name: 'Relation', exact: true }).selectOption('intermediaire');
    await tutor.getByLabel('Commentaire', { exact: true }).fill('Bonne dynamique, RSCA solide.');
    await tutor.getByRole('button', { name: 'Enregistrer l’évaluation' }).click();
    await tutor.getByText('Évaluation enregistrée (version 1).').waitFor();
    expect(await accessibilityViolations(tutor)).toEqual([]);
    await tutorContext.close();

    const juryContext = await browser.newContext({ viewport: { width: 390, height: 844 } }); // a phone
    const member = await signIn(juryContext, base, jury.email, PASSWORD);
    await member.getByRole('button', { name: 'Claire Fabre' }).click();
    await member.getByText('Bonne dynamique, RSCA solide.', { exact: false }).waitFor();
    // The commission reads a validated trace in full, with its stamp and the tutor's comments.
    await member.getByRole('button', { name: 'Une douleur thoracique en fin de consultation' }).click();
    await member.getByRole('textbox', { name: /Texte de la trace « Une douleur thoracique en fin de consultation » \(lecture seule\)/ }).waitFor();
    await member.getByText('Quels signes de gravité as-tu cherchés ?', { exact: false }).waitFor();
    await member.getByText('empreinte SHA-256 du contenu validé', { exact: false }).waitFor();
    // The PDF is one click away (then a download link once built).
    await member.getByRole('button', { name: 'Préparer le PDF du portfolio' }).click();
    await member.getByRole('link', { name: 'Télécharger le PDF du portfolio' }).waitFor({ timeout: 30_000 });
    // Nothing is pre-selected: a decision is a choice.
    for (const label of ['Phase validée', 'Phase non validée', 'Décision ajournée']) expect(await member.getByLabel(label).isChecked()).toBe(false);
    await member.getByLabel('Phase validée').check();
    await member.getByLabel('Motivation').fill('Portfolio complet pour la phase socle.');
    await member.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await member.getByText('Décision enregistrée : Phase validée', { exact: false }).waitFor();
    await screenshot(member, 'jury-telephone');
    expect(await accessibilityViolations(member)).toEqual([]);
    // After a reload, the recorded decision shows as recorded, not as a blank form.
    await member.reload();
    await member.getByRole('button', { name: 'Claire Fabre' }).click();
    await member.getByText('Décision enregistrée : Phase validée', { exact: false }).waitFor();
    expect(await member.getByRole('button', { name: 'Enregistrer la décision' }).count()).toBe(0);
    const decided = await member.evaluate(async (id) => (await (await fetch(`/api/portfolios/${id}/decisions`)).json()) as { decision: string }[], intern.id);
    expect(decided.map((d) => d.decision)).toEqual(['validated']);
    const [decision] = await api.dataSource.query(`SELECT decision FROM jury_decision WHERE intern_id = $1`, [intern.id]);
    expect(decision.decision).toBe('validated');
    await juryContext.close();
  });
});

describe('the DUMG', () => {
  it('previews a CSV import and sees the faulty line before importing anything', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signIn(context, base, emails.admin, PASSWORD);
    await page.getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByLabel('Ou collez le contenu').fill(
      ['email;lastName;firstName;role;upp;promotion', 'lea.roux@etu.example.fr;Roux;Léa;intern;montpellier;2025', 'yanis@etu.example.fr;Haddad;Yanis;intern;toulouse;2025'].join('\n'),
    );
    await page.getByRole('button', { name: 'Vérifier (sans importer)' }).click();
    await page.getByRole('cell', { name: 'UPP inconnue « toulouse ».' }).waitFor();
    await expect(page.getByRole('row', { name: /^3 / }).count()).resolves.toBe(1);
    await screenshot(page, 'import');
    expect(await accessibilityViolations(page)).toEqual([]);
    const users = await api.dataSource.query(`SELECT count(*)::int AS n FROM app_user WHERE email = 'lea.roux@etu.example.fr'`);
    expect(users[0].n).toBe(0);
    await context.close();
  });
});
