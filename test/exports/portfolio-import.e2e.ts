import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson, sha256Hex } from '@carnet/editor';
import { signManifest } from '@carnet/portfolio';
import { Tenancy } from '@carnet/database';
import { actor, Actor, login, makeUser, PASSWORD } from '../support/actors';
import { binaryBody, makeZip, zipEntries } from '../support/files';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Between deployments: a portfolio exported as ZIP by Carnet A (its faculty, its signing key)
 * is imported into Carnet B, which checks every hash, the manifest's signature and every
 * validation stamp, refuses a tampered archive naming the faulty file, writes nothing then,
 * and shows the imported traces as « validé à <faculté d'origine> ».
 */

const root = path.resolve(__dirname, '../..');
const rsca = JSON.parse(fs.readFileSync(path.resolve(root, '../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));
const PDF_ATTACHMENT = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 'z'), Buffer.from('\n%%EOF\n')]);
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const INTERN_EMAIL = `eloise.muller.${randomBytes(3).toString('hex')}@univ.test`;
const ORIGIN_FACULTY = 'Faculté de médecine Montpellier-Nîmes';

let origin: TestApp;
let target: TestApp;
let originKey: string;
let archive: Buffer;
let originTraces: { id: string; sha256: string; title: string }[];
let b: { admin: Actor; intern: Actor; tutor: Actor; jury: Actor; otherAdmin: string; otherIntern: string; otherFaculty: string };

type Entries = Map<string, Buffer>;



const json = (entries: Entries, name: string) => JSON.parse(entries.get(name)!.toString('utf8'));
const put = (entries: Entries, name: string, value: unknown) => entries.set(name, Buffer.from(JSON.stringify(value, null, 2)));

/** The forger's moves: the manifest's entry for `file` recomputed from its new bytes. */
function rehash(entries: Entries, file: string): void {
  const manifest = json(entries, 'manifest.json');
  const listed = manifest.files.find((f: { path: string }) => f.path === file);
  listed.sha256 = sha256(entries.get(file)!);
  listed.size = entries.get(file)!.length;
  put(entries, 'manifest.json', manifest);
}

/** The forger re-signs the manifest with a key of their own, and names it in the manifest. */
function resignWithOwnKey(entries: Entries): void {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const manifest = json(entries, 'manifest.json');
  manifest.origin.publicKeyFingerprint = sha256(publicKey.export({ type: 'spki', format: 'der' }));
  put(entries, 'manifest.json', manifest);
  put(entries, 'manifest.sig', signManifest(entries.get('manifest.json')!, privateKey));
}

const traceFiles = (entries: Entries) => [...entries.keys()].filter((n) => /^traces\/[^/]+\.json$/.test(n)).sort();
const attachmentFile = (entries: Entries) => [...entries.keys()].find((n) => n.includes('/pieces-jointes/'))!;

function importArchive(who: Actor | string, body: Buffer, query: Record<string, string> = {}) {
  const bearer = typeof who === 'string' ? `Bearer ${who}` : who.bearer;
  return target.http.post('/api/admin/portfolio-imports').query(query).set('Authorization', bearer).attach('file', body, 'portfolio.zip');
}

/** Rows and files the import would write in B: all must stay as they were after a refusal. */
async function written(): Promise<{ traces: number; imports: number; attachments: number; files: number }> {
  const [{ traces, imports, attachments }] = await target.dataSource.query(
    `SELECT (SELECT count(*)::int FROM trace WHERE intern_id = $1) AS traces, (SELECT count(*)::int FROM portfolio_import) AS imports,
            (SELECT count(*)::int FROM attachment a JOIN trace t ON t.id = a.trace_id WHERE t.intern_id = $1) AS attachments`,
    [b.intern.user.id],
  );
  const dir = path.join(target.config.dataDir, 'objects', 'attachments');
  // The local driver keeps each object's type beside it (`.type`): objects only are counted.
  const files = fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).filter((f) => !String(f).endsWith('.type') && fs.statSync(path.join(dir, String(f))).isFile()).length : 0;
  return { traces, imports, attachments, files };
}

async function expectRefused(body: Buffer, file: string, detail: RegExp, status = 422) {
  const before = await written();
  const response = await importArchive(b.admin, body, { keyFingerprint: originKey, acceptUnsigned: 'true' });
  expect([response.status, response.body.detail]).toEqual([status, expect.stringMatching(detail)]);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.errors?.[0]?.path).toBe(file);
  expect(await written()).toEqual(before);
}

/** A ZIP export of `intern`'s portfolio, asked for by themselves, once the worker built it. */
async function exportZip(app: TestApp, intern: Actor, scope: 'all' | 'validated'): Promise<Buffer> {
  const requested = await app.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'zip', scope }).expect(202);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const { body } = await app.http.get(`/api/exports/${requested.body.id}`).set('Authorization', intern.bearer).expect(200);
    if (body.status === 'completed') break;
    if (body.status === 'failed' || Date.now() > deadline) throw new Error(`export ${body.status}: ${body.error}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return (await app.http.get(`/api/exports/${requested.body.id}/download`).set('Authorization', intern.bearer).buffer(true).parse(binaryBody).expect(200)).body as Buffer;
}

beforeAll(async () => {
  // Deployment A: the origin, with its secret (so a signing key) and its address.
  origin = await startTestApp(
    { CARNET_SECRET_KEY: randomBytes(32).toString('base64'), PUBLIC_URL: 'https://carnet.umontpellier.test', EXPORT_RETRY_DELAY_MS: '200' },
    { worker: true },
  );
  await origin.dataSource.query(`UPDATE faculty SET name = $1, code = 'montpellier-nimes'`, [ORIGIN_FACULTY]);
  const admin = await actor(origin.http, origin.dataSource, { roles: ['admin'] });
  const intern = await actor(origin.http, origin.dataSource, { roles: ['intern'], upp: 'montpellier', email: INTERN_EMAIL, firstName: 'Éloïse', lastName: 'Müller' });
  const tutor = await actor(origin.http, origin.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Anne', lastName: 'Vidal' });
  await origin.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
  originTraces = [];
  for (let i = 0; i < 2; i++) {
    const created = await origin.http.post('/api/traces').set('Authorization', intern.bearer).send({ ...rsca, title: `${rsca.title} n°${i + 1}` }).expect(201);
    if (i === 0) await origin.http.post(`/api/traces/${created.body.id}/attachments`).set('Authorization', intern.bearer).attach('file', PDF_ATTACHMENT, 'ECG du cabinet.pdf').expect(201);
    await origin.http.post(`/api/traces/${created.body.id}/submit`).set('Authorization', intern.bearer).expect(200);
    const validated = await origin.http.post(`/api/traces/${created.body.id}/validate`).set('Authorization', tutor.bearer).send({}).expect(200);
    originTraces.push({ id: created.body.id, sha256: validated.body.validatedSha256, title: validated.body.title });
  }
  // A draft: in an export of scope "all", never imported.
  await origin.http.post('/api/traces').set('Authorization', intern.bearer).send({ ...rsca, title: 'Brouillon en cours' }).expect(201);
  originKey = (await origin.http.get('/api/deployment-key').expect(200)).body.fingerprint;

  archive = await exportZip(origin, intern, 'all');

  // Deployment B: the same intern (by e-mail) in its first faculty; a second faculty beside it.
  target = await startTestApp({ CARNET_SECRET_KEY: randomBytes(32).toString('base64'), CARNET_OPERATOR_EMAIL: 'operateur@carnet-b.test', CARNET_OPERATOR_PASSWORD: PASSWORD }, { worker: true });
  const bAdmin = await actor(target.http, target.dataSource, { roles: ['admin'] });
  const bIntern = await actor(target.http, target.dataSource, { roles: ['intern'], upp: 'toulouse', email: INTERN_EMAIL, firstName: 'Éloïse', lastName: 'Müller' });
  const bTutor = await actor(target.http, target.dataSource, { roles: ['tutor'], upp: 'toulouse', firstName: 'Bruno', lastName: 'Sarda' });
  const bJury = await actor(target.http, target.dataSource, { roles: ['jury'], upp: 'toulouse' });
  await target.http.post('/api/tutorships').set('Authorization', bAdmin.bearer).send({ tutorId: bTutor.user.id, internId: bIntern.user.id }).expect(201);
  const operator = await login(target.http, 'operateur@carnet-b.test');
  const second = await target.http
    .post('/api/operator/faculties')
    .set('Authorization', `Bearer ${operator}`)
    .send({ code: 'gers', name: 'DUMG du Gers', admin: { email: 'admin@gers.test', firstName: 'Gaston', lastName: 'Gers' } })
    .expect(201);
  const otherAdmin = await makeUser(target.dataSource, { roles: ['admin'], facultyId: second.body.id, email: `admin.${randomUUID().slice(0, 6)}@gers.test` });
  const otherIntern = await makeUser(target.dataSource, { roles: ['intern'], facultyId: second.body.id, upp: 'auch', email: `interne.${randomUUID().slice(0, 6)}@gers.test` });
  b = { admin: bAdmin, intern: bIntern, tutor: bTutor, jury: bJury, otherAdmin: await login(target.http, otherAdmin.email), otherIntern: otherIntern.id, otherFaculty: second.body.id };
}, 180_000);

afterAll(async () => {
  await target?.close();
  await origin?.close();
});

describe('the export carries what an import needs', () => {
  it('names its origin in the manifest, signs it, and gives each trace its stamp and canonical content', async () => {
    const entries = await zipEntries(archive);
    const manifest = json(entries, 'manifest.json');
    expect(manifest).toMatchObject({
      format: { name: 'carnet-portfolio', version: 2 },
      software: { name: 'Carnet' },
      origin: { deployment: 'https://carnet.umontpellier.test', faculty: { code: 'montpellier-nimes', name: ORIGIN_FACULTY }, publicKeyFingerprint: originKey },
      intern: { displayName: 'Éloïse Müller', email: INTERN_EMAIL },
      exportedAt: expect.any(String),
    });
    expect(originKey).toMatch(/^[0-9a-f]{64}$/);
    const signature = json(entries, 'manifest.sig');
    expect(signature).toMatchObject({ algorithm: 'Ed25519', fingerprint: originKey });
    const [first] = traceFiles(entries).map((f) => json(entries, f)).filter((t) => t.id === originTraces[0].id);
    expect(first.stamp).toEqual({ validator: 'Anne Vidal', validatedAt: expect.any(String), sha256: originTraces[0].sha256, algorithm: 'sha256(canonicalContent)' });
    expect(sha256Hex(first.canonicalContent)).toBe(originTraces[0].sha256);
    expect(canonicalJson(first.content)).toBe(first.canonicalContent);
    expect(first.attachments[0].path).toBe(attachmentFile(entries));
  });
});

describe('who may import', () => {
  it('401 without a session, 403 for an intern or a tutor, 415 without multipart, 404 for an intern of another faculty', async () => {
    await target.http.post('/api/admin/portfolio-imports').attach('file', archive, 'portfolio.zip').expect(401);
    await importArchive(b.intern, archive).expect(403);
    await importArchive(b.tutor, archive).expect(403);
    await target.http.post('/api/admin/portfolio-imports').set('Authorization', b.admin.bearer).set('Content-Type', 'application/zip').send(archive).expect(415);
    const other = await importArchive(b.admin, archive, { dryRun: 'true', internId: b.otherIntern });
    expect(other.status).toBe(404);
    // The other faculty's admin: the archive's intern is no intern of theirs, and ours is out of their reach.
    const theirs = await importArchive(b.otherAdmin, archive, { dryRun: 'true' });
    expect([theirs.status, theirs.body.errors?.[0]?.path]).toEqual([422, 'internId']);
    await importArchive(b.otherAdmin, archive, { dryRun: 'true', internId: b.intern.user.id }).expect(404);
    expect(await written()).toMatchObject({ traces: 0, imports: 0 });
  });
});

describe('a tampered archive is refused, naming the faulty file, and nothing is written', () => {
  it('a trace edited with its manifest hash recomputed and the manifest re-signed by another key: the stamp no longer matches', async () => {
    const entries = await zipEntries(archive);
    const file = traceFiles(entries)[0];
    const trace = json(entries, file);
    trace.content.content[1] = { type: 'paragraph', content: [{ type: 'text', text: 'Un passage réécrit après la validation.' }] };
    trace.canonicalContent = canonicalJson(trace.content);
    put(entries, file, trace);
    rehash(entries, file);
    resignWithOwnKey(entries);
    await expectRefused(await makeZip(entries), file, new RegExp(`^Le fichier ${file} : le tampon de validation ne correspond pas au contenu`));
  });

  it('the same edit, unsigned (signature removed): the stamp no longer matches', async () => {
    const entries = await zipEntries(archive);
    const file = traceFiles(entries)[0];
    const trace = json(entries, file);
    trace.content.content.push({ type: 'paragraph', content: [{ type: 'text', text: 'Ajout.' }] });
    trace.canonicalContent = canonicalJson(trace.content);
    put(entries, file, trace);
    rehash(entries, file);
    const manifest = json(entries, 'manifest.json');
    manifest.origin.publicKeyFingerprint = null;
    put(entries, 'manifest.json', manifest);
    entries.delete('manifest.sig');
    await expectRefused(await makeZip(entries), file, /le tampon de validation ne correspond pas au contenu \(SHA-256 recalculé différent\)/);
  });

  it('a trace edited and its hash recomputed, the signature left: the signature names the manifest', async () => {
    const entries = await zipEntries(archive);
    const file = traceFiles(entries)[1];
    const trace = json(entries, file);
    trace.title = 'Titre changé';
    put(entries, file, trace);
    rehash(entries, file);
    await expectRefused(await makeZip(entries), 'manifest.sig', /La signature du fichier manifest\.json/);
  });

  it('a trace edited, the manifest left: its hash no longer matches the manifest', async () => {
    const entries = await zipEntries(archive);
    const file = traceFiles(entries)[1];
    put(entries, file, { ...json(entries, file), title: 'Titre changé' });
    await expectRefused(await makeZip(entries), file, new RegExp(`^Le fichier ${file} ne correspond pas à son empreinte SHA-256 du manifeste`));
  });

  it('an attachment replaced', async () => {
    const entries = await zipEntries(archive);
    const file = attachmentFile(entries);
    entries.set(file, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 'w'), Buffer.from('\n%%EOF\n')]));
    await expectRefused(await makeZip(entries), file, /ne correspond pas à son empreinte SHA-256 du manifeste/);
  });

  it('an attachment that is no PDF by its content, every hash recomputed (unsigned)', async () => {
    const entries = await zipEntries(archive);
    const file = attachmentFile(entries);
    entries.set(file, Buffer.from('<html><script>alert(1)</script></html>'));
    const owner = traceFiles(entries).find((f) => file.startsWith(f.replace(/\.json$/, '/')))!;
    const trace = json(entries, owner);
    trace.attachments[0].sha256 = sha256(entries.get(file)!);
    put(entries, owner, trace);
    rehash(entries, file);
    rehash(entries, owner);
    const manifest = json(entries, 'manifest.json');
    manifest.origin.publicKeyFingerprint = null;
    put(entries, 'manifest.json', manifest);
    entries.delete('manifest.sig');
    await expectRefused(await makeZip(entries), file, /n’est pas un PDF/);
  });

  it('a listed file missing', async () => {
    const entries = await zipEntries(archive);
    const file = [...entries.keys()].find((n) => n.endsWith('.html'))!;
    entries.delete(file);
    await expectRefused(await makeZip(entries), file, /est listé dans le manifeste mais absent de l’archive/);
  });

  it('an extra file the manifest does not list', async () => {
    const entries = await zipEntries(archive);
    entries.set('traces/lisez-moi.txt', Buffer.from('ajouté'));
    await expectRefused(await makeZip(entries), 'traces/lisez-moi.txt', /n’est pas listé dans le manifeste/);
  });

  it('an entry whose path climbs out of the folder', async () => {
    const entries = await zipEntries(archive);
    entries.set('xx/evil.txt', Buffer.from('pwned'));
    // yazl refuses to write such a name: the forger patches it in the bytes.
    const body = Buffer.from((await makeZip(entries)).toString('latin1').replaceAll('xx/evil.txt', '../evil.txt'), 'latin1');
    await expectRefused(body, '../evil.txt', /a un chemin interdit/);
  });

  it('a file that is not a ZIP, and a ZIP of too many files (before inflating any)', async () => {
    await expectRefused(Buffer.from('%PDF-1.4\nnot a zip\n'), 'file', /n’est pas une archive ZIP lisible/);
    const many: Entries = new Map();
    for (let i = 0; i < 5_001; i++) many.set(`f${i}`, Buffer.alloc(0));
    await expectRefused(await makeZip(many), 'file', /trop de fichiers/, 413);
  });

  it('a consistent forgery re-signed by another key: refused when the admin confirms the origin’s published key', async () => {
    const entries = await zipEntries(archive);
    const file = traceFiles(entries)[0];
    const trace = json(entries, file);
    trace.content.content[1] = { type: 'paragraph', content: [{ type: 'text', text: 'Réécrit, tampon recalculé.' }] };
    trace.canonicalContent = canonicalJson(trace.content);
    trace.stamp.sha256 = trace.validatedSha256 = sha256Hex(trace.canonicalContent);
    put(entries, file, trace);
    rehash(entries, file);
    const manifest = json(entries, 'manifest.json');
    manifest.traces.find((t: { id: string }) => t.id === trace.id).validatedSha256 = trace.stamp.sha256;
    put(entries, 'manifest.json', manifest);
    resignWithOwnKey(entries);
    const forged = await makeZip(entries);
    // Internally consistent: the preview accepts it, and shows a key that is not the origin's.
    const preview = await importArchive(b.admin, forged, { dryRun: 'true' }).expect(200);
    expect(preview.body.signature.fingerprint).not.toBe(originKey);
    await expectRefused(forged, 'keyFingerprint', /Confirmez l’empreinte de la clé/);
  });
});

describe('importing', () => {
  it('previews without writing: the origin, its key, the traces and their stamps', async () => {
    const response = await importArchive(b.admin, archive, { dryRun: 'true' }).expect(200);
    expect(response.body).toMatchObject({
      dryRun: true,
      id: null,
      origin: { deployment: 'https://carnet.umontpellier.test', faculty: { code: 'montpellier-nimes', name: ORIGIN_FACULTY } },
      signature: { signed: true, fingerprint: originKey, pinnedFingerprint: null },
      archiveSha256: sha256(archive),
      intern: { id: b.intern.user.id, email: INTERN_EMAIL },
      counts: { imported: 2, alreadyImported: 0, skipped: 1 },
    });
    expect(response.body.traces.map((t: { originId: string; sha256: string; validator: string }) => [t.originId, t.sha256, t.validator])).toEqual(
      originTraces.map((t) => [t.id, t.sha256, 'Anne Vidal']),
    );
    expect(await written()).toEqual({ traces: 0, imports: 0, attachments: 0, files: 0 });
  });

  it('asks the admin to confirm the origin’s key', async () => {
    const missing = await importArchive(b.admin, archive);
    expect([missing.status, missing.body.errors?.[0]?.path]).toEqual([422, 'keyFingerprint']);
    expect(await written()).toMatchObject({ traces: 0, imports: 0 });
  });

  it('imports the validated traces with their original stamps, shown « validé à » to the intern, their tutor and a jury; read-only; audited', async () => {
    const response = await importArchive(b.admin, archive, { keyFingerprint: originKey.replace(/(.{4})/g, '$1 ') }).expect(200);
    expect(response.body).toMatchObject({ dryRun: false, id: expect.any(String), counts: { imported: 2, alreadyImported: 0, skipped: 1 } });
    expect(await written()).toEqual({ traces: 2, imports: 1, attachments: 1, files: 1 });

    const list = await target.http.get('/api/traces').query({ internId: b.intern.user.id }).set('Authorization', b.intern.bearer).expect(200);
    expect(list.body.items).toHaveLength(2);
    for (const item of list.body.items) {
      const source = originTraces.find((t) => t.title === item.title)!;
      const trace = (await target.http.get(`/api/traces/${item.id}`).set('Authorization', b.intern.bearer).expect(200)).body;
      expect(trace).toMatchObject({
        status: 'validated',
        validatedBy: null,
        validatedSha256: source.sha256,
        importedFrom: { faculty: ORIGIN_FACULTY, deployment: 'https://carnet.umontpellier.test', validator: 'Anne Vidal', sha256: source.sha256, signed: true },
      });
      // The stamp still recomputes from the content as stored here.
      expect(sha256Hex(canonicalJson(trace.content))).toBe(source.sha256);
      // Never editable, never re-validated.
      await target.http.patch(`/api/traces/${item.id}`).set('Authorization', b.intern.bearer).set('If-Match', `"${trace.version}"`).send({ title: 'Modifié' }).expect(409);
      await target.http.post(`/api/traces/${item.id}/submit`).set('Authorization', b.intern.bearer).expect(409);
      await target.http.post(`/api/traces/${item.id}/validate`).set('Authorization', b.tutor.bearer).send({}).expect(409);
      const byTutor = await target.http.get(`/api/traces/${item.id}`).set('Authorization', b.tutor.bearer).expect(200);
      expect(byTutor.body.importedFrom.faculty).toBe(ORIGIN_FACULTY);
      if (trace.attachments.length) {
        const file = await target.http.get(`/api/attachments/${trace.attachments[0].id}`).set('Authorization', b.intern.bearer).buffer(true).parse(binaryBody).expect(200);
        expect(sha256(file.body as Buffer)).toBe(sha256(PDF_ATTACHMENT));
      }
    }

    // Counted in the intern's progress like any validated trace.
    const progress = await target.http.get(`/api/portfolios/${b.intern.user.id}/progress`).set('Authorization', b.intern.bearer).expect(200);
    expect(progress.body.validatedTotal).toBe(2);

    const hour = 3600_000;
    const session = await target.http
      .post('/api/jury-sessions')
      .set('Authorization', b.admin.bearer)
      .send({ title: 'Commission socle', phase: 'socle', opensAt: new Date(Date.now() - hour).toISOString(), closesAt: new Date(Date.now() + hour).toISOString(), memberIds: [b.jury.user.id], internIds: [b.intern.user.id] })
      .expect(201);
    const portfolio = await target.http.get(`/api/jury-sessions/${session.body.id}/interns/${b.intern.user.id}/portfolio`).set('Authorization', b.jury.bearer).expect(200);
    expect(portfolio.body.traces.map((t: { importedFrom: { faculty: string } }) => t.importedFrom.faculty)).toEqual([ORIGIN_FACULTY, ORIGIN_FACULTY]);

    const audit: { action: string; n: number }[] = await target.dataSource.query(
      `SELECT action, count(*)::int AS n FROM audit_log WHERE action IN ('portfolio.imported', 'trace.imported') GROUP BY action ORDER BY action`,
    );
    expect(audit).toEqual([{ action: 'portfolio.imported', n: 1 }, { action: 'trace.imported', n: 2 }]);
  });

  it('is idempotent: the same archive again adds nothing', async () => {
    const again = await importArchive(b.admin, archive, { keyFingerprint: originKey }).expect(200);
    expect(again.body).toMatchObject({ id: null, counts: { imported: 0, alreadyImported: 2, skipped: 1 } });
    expect(again.body.traces.every((t: { alreadyImported: boolean }) => t.alreadyImported)).toBe(true);
    expect(await written()).toEqual({ traces: 2, imports: 1, attachments: 1, files: 1 });
    // The import's rows are the faculty's: the other faculty's scope sees none of them.
    const seen = await Tenancy.run({ facultyId: b.otherFaculty }, () =>
      target.dataSource.query(`SELECT (SELECT count(*)::int FROM portfolio_import) AS imports, (SELECT count(*)::int FROM portfolio_import_trace) AS traces`),
    );
    expect(seen).toEqual([{ imports: 0, traces: 0 }]);
  });

  it('pins the origin’s key: an archive from the same origin signed by another key is refused (409)', async () => {
    const entries = await zipEntries(archive);
    const manifest = json(entries, 'manifest.json');
    manifest.generatedAt = new Date().toISOString();
    put(entries, 'manifest.json', manifest);
    resignWithOwnKey(entries);
    const forged = await makeZip(entries);
    const preview = await importArchive(b.admin, forged, { dryRun: 'true' }).expect(200);
    expect(preview.body.signature.pinnedFingerprint).toBe(originKey);
    const before = await written();
    const response = await importArchive(b.admin, forged, { keyFingerprint: preview.body.signature.fingerprint });
    expect([response.status, response.body.detail]).toEqual([409, expect.stringContaining('n’est pas celle que votre faculté a déjà acceptée')]);
    expect(await written()).toEqual(before);
  });

  it('exports the imported traces onwards with their origin and original stamp, which still verify', async () => {
    const entries = await zipEntries(await exportZip(target, b.intern, 'validated'));
    const traces = traceFiles(entries).map((f) => json(entries, f));
    expect(traces).toHaveLength(2);
    for (const trace of traces) {
      const source = originTraces.find((t) => t.title === trace.title)!;
      expect(trace).toMatchObject({ importedFrom: { faculty: ORIGIN_FACULTY, validator: 'Anne Vidal', sha256: source.sha256 }, stamp: { validator: 'Anne Vidal', sha256: source.sha256 } });
      expect(sha256Hex(trace.canonicalContent)).toBe(source.sha256);
    }
    const html = [...entries.entries()].find(([name]) => name.endsWith('.html'))![1].toString();
    expect(html).toContain(`Validée à ${ORIGIN_FACULTY} par Anne Vidal`);
  });
});
