import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { actor, Actor } from '../support/actors';
import { EMBEDDED_ADMIN, EmbeddedRun, startEmbeddedRun } from '../support/embedded-run';
import { binaryBody, makeZip, zipEntries } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';
import { accessibilityViolations, launchBrowser, screenshot, signIn } from './browser';

/**
 * An intern changes DUMG: their portfolio, exported as a signed ZIP by another Carnet (real
 * services, a signing key), is imported in the browser by the DUMG's admin into Carnet as
 * `npm start` runs it (PGlite, BullMQ on it, local disk): the preview names the origin, the
 * traces and their stamps and the key's fingerprint; a fingerprint that is not the origin's is
 * refused in French, the right one imports; a tampered archive is refused naming its faulty file,
 * and nothing more is imported; the intern then reads the trace « validé à <faculté d'origine> »,
 * read-only.
 */
const root = path.resolve(__dirname, '../..');
const rsca = JSON.parse(fs.readFileSync(path.resolve(root, '../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));
const PASSWORD = 'Glycémie capillaire à jeun 2026';
const ORIGIN_FACULTY = 'Faculté de médecine Montpellier-Nîmes';
const ORIGIN_URL = 'https://carnet.umontpellier.test';
const INTERN_EMAIL = 'eloise.muller@univ.test';
const TITLE = 'Une douleur thoracique au cabinet';
const PDF_ATTACHMENT = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 'z'), Buffer.from('\n%%EOF\n')]);

/** A fingerprint as people compare it, and as the page shows it: groups of four. */
const grouped = (hex: string) => hex.replace(/(.{4})(?=.)/g, '$1 ');

let run: EmbeddedRun;
let browser: Browser;
let dir: string;
let archivePath: string;
let tamperedPath: string;
let tamperedFile: string;
let originKey: string;
let stamp: string;
let admin: string;

const call = <T = Record<string, unknown>>(method: string, url: string, token: string | null, body?: unknown) => run.call<T>(method, url, token, body);
const login = async (email: string, password = PASSWORD) => (await call<{ accessToken: string }>('POST', '/auth/login', null, { email, password })).accessToken;




/** The origin deployment: an intern, their tutor, a trace validated with a PDF and a draft; the ZIP the intern exports. */
async function exportFromOrigin(): Promise<Buffer> {
  const origin: TestApp = await startTestApp({ CARNET_SECRET_KEY: randomBytes(32).toString('base64'), PUBLIC_URL: ORIGIN_URL, EXPORT_RETRY_DELAY_MS: '200' }, { worker: true });
  try {
    await origin.dataSource.query(`UPDATE faculty SET name = $1, code = 'montpellier-nimes'`, [ORIGIN_FACULTY]);
    const originAdmin = await actor(origin.http, origin.dataSource, { roles: ['admin'] });
    const intern: Actor = await actor(origin.http, origin.dataSource, { roles: ['intern'], upp: 'montpellier', email: INTERN_EMAIL, firstName: 'Éloïse', lastName: 'Müller' });
    const tutor = await actor(origin.http, origin.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Anne', lastName: 'Vidal' });
    await origin.http.post('/api/tutorships').set('Authorization', originAdmin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
    const created = await origin.http.post('/api/traces').set('Authorization', intern.bearer).send({ ...rsca, title: TITLE }).expect(201);
    await origin.http.post(`/api/traces/${created.body.id}/attachments`).set('Authorization', intern.bearer).attach('file', PDF_ATTACHMENT, 'ECG du cabinet.pdf').expect(201);
    await origin.http.post(`/api/traces/${created.body.id}/submit`).set('Authorization', intern.bearer).expect(200);
    stamp = (await origin.http.post(`/api/traces/${created.body.id}/validate`).set('Authorization', tutor.bearer).send({}).expect(200)).body.validatedSha256;
    // A draft: in the export, never imported.
    await origin.http.post('/api/traces').set('Authorization', intern.bearer).send({ ...rsca, title: 'Brouillon en cours' }).expect(201);
    originKey = (await origin.http.get('/api/deployment-key').expect(200)).body.fingerprint;

    const requested = await origin.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'zip', scope: 'all' }).expect(202);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const { body } = await origin.http.get(`/api/exports/${requested.body.id}`).set('Authorization', intern.bearer).expect(200);
      if (body.status === 'completed') break;
      if (body.status === 'failed' || Date.now() > deadline) throw new Error(`export ${body.status}: ${body.error}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return (await origin.http.get(`/api/exports/${requested.body.id}/download`).set('Authorization', intern.bearer).buffer(true).parse(binaryBody).expect(200)).body as Buffer;
  } finally {
    await origin.close();
  }
}

/** The intern's traces in this Carnet, as the intern lists them. */
const internTraces = async () => (await call<{ items: { title: string }[] }>('GET', '/traces', await login(INTERN_EMAIL))).items.map((t) => t.title).sort();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-import-browser-'));
  const [archive] = await Promise.all([
    exportFromOrigin(),
    (async () => {
      [run, browser] = await Promise.all([startEmbeddedRun({ smtp: false }), launchBrowser()]);
      // This Carnet: its UPP and the same intern, by e-mail, with a password of their own.
      admin = await login(EMBEDDED_ADMIN.email, EMBEDDED_ADMIN.password);
      await call('POST', '/admin/upps', admin, { code: 'toulouse', name: 'Toulouse' });
      await call('POST', '/admin/users', admin, { email: INTERN_EMAIL, firstName: 'Éloïse', lastName: 'Müller', roles: ['intern'], upp: 'toulouse', promotion: 2025, password: PASSWORD });
    })(),
  ]);
  // The archive as the origin gave it, downloaded; and the same archive with one trace's JSON edited, its hash not recomputed.
  archivePath = path.join(dir, 'portfolio-eloise-muller.zip');
  fs.writeFileSync(archivePath, archive);
  const entries = await zipEntries(archive);
  tamperedFile = [...entries.keys()].filter((n) => /^traces\/[^/]+\.json$/.test(n)).find((n) => JSON.parse(entries.get(n)!.toString()).title === TITLE)!;
  const trace = JSON.parse(entries.get(tamperedFile)!.toString());
  entries.set(tamperedFile, Buffer.from(JSON.stringify({ ...trace, title: `${TITLE} (corrigée)` }, null, 2)));
  tamperedPath = path.join(dir, 'portfolio-eloise-muller-modifie.zip');
  fs.writeFileSync(tamperedPath, await makeZip(entries));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await run?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const focusedId = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id);

it('the admin previews, confirms the origin’s key (a wrong one refused) and imports; a tampered archive is refused naming its file; the intern reads the trace « validé à »', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await signIn(context, run.base, EMBEDDED_ADMIN.email, EMBEDDED_ADMIN.password);
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Importer un portfolio' }).click();
  const section = page.getByRole('region', { name: 'Importer un portfolio' });
  const verify = section.getByRole('button', { name: 'Vérifier l’archive (sans importer)' });
  expect(await verify.isDisabled()).toBe(true);

  await section.getByLabel('Archive ZIP du portfolio').setInputFiles(archivePath);
  await section.getByText('portfolio-eloise-muller.zip', { exact: true }).waitFor();
  await verify.click();

  // The preview: the origin, the intern, the trace with its stamp, the key's fingerprint by fours; focus on its title.
  const preview = section.getByRole('region', { name: 'Aperçu : rien n’a encore été importé' });
  await preview.waitFor();
  expect(await focusedId(page)).toBe('portfolio-import-preview-title');
  await preview.getByText(`${ORIGIN_FACULTY} (${ORIGIN_URL})`, { exact: false }).waitFor();
  await preview.getByText(`Éloïse Müller (${INTERN_EMAIL})`, { exact: true }).first().waitFor();
  await preview.getByText('1 à importer, 0 déjà importée(s), 1 non validée(s) ignorée(s)', { exact: true }).waitFor();
  const row = preview.getByRole('table', { name: 'Traces validées de l’archive' }).getByRole('row', { name: new RegExp(TITLE) });
  await row.getByRole('cell', { name: 'Anne Vidal', exact: true }).waitFor();
  await row.getByRole('cell', { name: grouped(stamp), exact: true }).waitFor();
  expect(await row.getByRole('cell', { name: 'à importer', exact: true }).count()).toBe(1);
  await preview.getByText(grouped(originKey), { exact: true }).waitFor();
  expect(grouped(originKey)).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
  expect(await internTraces()).toEqual([]);
  await screenshot(page, 'import-portfolio');
  expect(await accessibilityViolations(page)).toEqual([]);

  // Nothing to import before a fingerprint is typed; one that is not the origin's is refused in French, nothing written.
  const key = preview.getByLabel('Empreinte de la clé publiée par le Carnet d’origine');
  const confirm = preview.getByRole('button', { name: 'Importer 1 trace(s)' });
  expect(await confirm.isDisabled()).toBe(true);
  const wrong = originKey.slice(0, -1) + (originKey.endsWith('0') ? '1' : '0');
  await key.fill(grouped(wrong));
  // From the field, the keyboard reaches the confirm button next.
  await key.press('Tab');
  expect(await confirm.evaluate((button) => button === (button.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true);
  await page.keyboard.press('Enter');
  await preview
    .getByRole('alert')
    .getByText('Confirmez l’empreinte de la clé de signature du Carnet d’origine (comparez-la avec celle qu’il publie) : elle ne correspond pas à celle de l’archive.', { exact: true })
    .waitFor();
  expect(await internTraces()).toEqual([]);

  // The origin's own, as it publishes it: imported, the count said, focus on the result.
  await key.fill(grouped(originKey));
  await key.press('Tab');
  await page.keyboard.press('Enter');
  const done = section.getByRole('status').filter({ hasText: 'Import effectué' });
  await done.getByText(`Import effectué : 1 trace(s) validée(s) à ${ORIGIN_FACULTY} ajoutée(s) au portfolio de Éloïse Müller.`, { exact: true }).waitFor();
  expect(await preview.count()).toBe(0);
  expect(await done.evaluate((node) => node === (node.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true);
  expect(await internTraces()).toEqual([TITLE]);
  expect(await accessibilityViolations(page)).toEqual([]);

  // The same archive with one trace edited and its hash left: refused naming the file, nothing more imported.
  await section.getByLabel('Archive ZIP du portfolio').setInputFiles(tamperedPath);
  await section.getByText('portfolio-eloise-muller-modifie.zip', { exact: true }).waitFor();
  expect(await done.count()).toBe(0);
  await verify.click();
  // Said once: the sentence names the file, the list of fields does not repeat it.
  const refusal = section.getByRole('alert');
  await refusal.getByText(`Le fichier ${tamperedFile} ne correspond pas à son empreinte SHA-256 du manifeste.`, { exact: true }).waitFor();
  expect(await refusal.innerText()).toBe(`Le fichier ${tamperedFile} ne correspond pas à son empreinte SHA-256 du manifeste.`);
  expect(await preview.count()).toBe(0);
  expect(await section.getByRole('button', { name: /^Importer/ }).count()).toBe(0);
  expect(await internTraces()).toEqual([TITLE]);
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();

  // The intern, in this Carnet: the trace « validé à » the origin, its stamp, its PDF, read-only.
  const internContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const intern = await signIn(internContext, run.base, INTERN_EMAIL, PASSWORD);
  const item = intern.getByRole('listitem').filter({ has: intern.getByRole('link', { name: TITLE, exact: true }) });
  await item.getByText(`validé à ${ORIGIN_FACULTY}`, { exact: true }).waitFor();
  await item.getByText('Validée', { exact: true }).waitFor();
  expect(await accessibilityViolations(intern)).toEqual([]);
  await item.getByRole('link', { name: TITLE, exact: true }).click();
  const note = intern.getByRole('note');
  await note.getByText(`validé à ${ORIGIN_FACULTY}`, { exact: true }).waitFor();
  await note.getByText(stamp, { exact: true }).waitFor();
  await note.getByText('par Anne Vidal', { exact: false }).waitFor();
  await note.getByText('Archive signée par le Carnet d’origine (clé confirmée à l’import).', { exact: false }).waitFor();
  const content = intern.getByRole('textbox', { name: 'Contenu de la trace' });
  await content.waitFor();
  expect(await content.getAttribute('contenteditable')).toBe('false');
  expect(await intern.getByLabel('Titre', { exact: true }).isEditable()).toBe(false);
  expect(await intern.getByRole('button', { name: 'Soumettre à mon tuteur' }).count()).toBe(0);
  await intern.getByRole('link', { name: 'ECG du cabinet.pdf' }).waitFor();
  expect(await intern.getByLabel('Ajouter un PDF, PNG ou JPEG', { exact: false }).count()).toBe(0);
  expect(await accessibilityViolations(intern)).toEqual([]);
  await internContext.close();
}, 240_000);
