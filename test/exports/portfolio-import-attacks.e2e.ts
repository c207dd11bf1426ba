import { createHash, generateKeyPairSync, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson, sha256Hex } from '@carnet/editor';
import { keyFingerprint, publicKeyDer, signManifest } from '@carnet/portfolio';
import { actor, Actor, makeUser } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';
import { makeZip } from '../support/files';

/**
 * The portfolio import attacked (ADR 0008, « Limits »): archives forged by hand, signed by keys
 * of the forger's own, with names, origins and stamps chosen to deceive; parser tricks; races.
 * Each test states what must hold; the archives are built here, no origin deployment needed.
 */

// Where the import makes its temporary folder (`carnet-import-…`), to count what it leaves behind.
const TMP = os.tmpdir();
const importFolders = () => new Set(fs.readdirSync(TMP).filter((d) => d.startsWith('carnet-import-')));

const root = path.resolve(__dirname, '../..');
const rsca = JSON.parse(fs.readFileSync(path.resolve(root, '../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 'z'), Buffer.from('\n%%EOF\n')]);
const DEPLOYMENT = 'https://carnet.umontpellier.test';
const FACULTY = { code: 'montpellier-nimes', name: 'Faculté de médecine Montpellier-Nîmes' };

let app: TestApp;
let admin: Actor;

interface ForgedTrace {
  id?: string;
  title?: string;
  validator?: string | null;
  validatedAt?: string;
  content?: unknown;
  attachments?: { filename: string; mimeType: string; bytes: Buffer }[];
  /** The exporter had itself imported the trace (a re-export). */
  importedFrom?: unknown;
}

interface Forgery {
  deployment?: unknown;
  faculty?: unknown;
  email?: unknown;
  traces?: ForgedTrace[];
  /** null: unsigned. */
  key?: KeyObject | null;
  /** Changes to the manifest before it is signed. */
  patch?: (manifest: Record<string, any>) => void;
  /** Changes to the entries once everything is listed and signed. */
  entries?: (entries: [string, Buffer][]) => void;
}

const newKey = () => generateKeyPairSync('ed25519').privateKey;
const fingerprintOf = (key: KeyObject) => keyFingerprint(publicKeyDer(key));

/** A self-consistent archive as a Carnet would export it, with whatever the forger chose. */
async function forge(f: Forgery = {}): Promise<Buffer> {
  const key = f.key === undefined ? null : f.key;
  const entries: [string, Buffer][] = [];
  const files: { path: string; size: number; sha256: string }[] = [];
  const add = (name: string, bytes: Buffer) => {
    entries.push([name, bytes]);
    files.push({ path: name, size: bytes.length, sha256: sha256(bytes) });
  };
  const traces = (f.traces ?? [{}]).map((t, i) => {
    const id = t.id ?? randomUUID();
    const base = `traces/${String(i + 1).padStart(3, '0')}-trace`;
    const content = t.content ?? rsca.content;
    const canonicalContent = canonicalJson(content);
    const stampSha = sha256Hex(canonicalContent);
    const validatedAt = t.validatedAt ?? '2025-06-01T10:00:00.000Z';
    const attachments = (t.attachments ?? []).map((a, j) => {
      const attachmentId = randomUUID();
      const p = `${base}/pieces-jointes/${attachmentId}-${j}.pdf`;
      add(p, a.bytes);
      return { id: attachmentId, filename: a.filename, size: a.bytes.length, sha256: sha256(a.bytes), mimeType: a.mimeType, path: p };
    });
    const record = {
      id,
      kind: rsca.kind,
      title: t.title ?? `Trace ${i + 1}`,
      status: 'validated',
      competences: rsca.competences,
      familles: rsca.familles,
      createdAt: '2025-05-01T10:00:00.000Z',
      validatedAt,
      validatedBy: t.validator === undefined ? 'Anne Vidal' : t.validator,
      validatedSha256: stampSha,
      content,
      canonicalContent,
      stamp: { validator: t.validator === undefined ? 'Anne Vidal' : t.validator, validatedAt, sha256: stampSha, algorithm: 'sha256(canonicalContent)' },
      attachments,
      ...(t.importedFrom ? { importedFrom: t.importedFrom } : {}),
    };
    add(`${base}.json`, Buffer.from(JSON.stringify(record, null, 2)));
    return { id, title: record.title, status: 'validated', validatedAt, validatedSha256: stampSha, validatedBy: record.validatedBy, json: `${base}.json` };
  });
  const manifest: Record<string, any> = {
    format: { name: 'carnet-portfolio', version: 2 },
    software: { name: 'Carnet', version: 'test' },
    generatedAt: '2025-09-01T10:00:00.000Z',
    exportedAt: '2025-09-01T10:00:00.000Z',
    dumg: 'DUMG Montpellier',
    origin: { deployment: f.deployment ?? `https://carnet-${randomBytes(4).toString('hex')}.test`, faculty: f.faculty ?? FACULTY, dumg: 'DUMG Montpellier', publicKeyFingerprint: key ? fingerprintOf(key) : null },
    scope: 'validated',
    intern: { id: randomUUID(), displayName: 'Éloïse Müller', email: f.email ?? 'nobody@nowhere.test', promotion: 2024, upp: null },
    tutors: [],
    traces,
    files,
  };
  f.patch?.(manifest);
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
  entries.push(['manifest.json', manifestBytes]);
  if (key) entries.push(['manifest.sig', Buffer.from(JSON.stringify(signManifest(manifestBytes, key)))]);
  f.entries?.(entries);
  return makeZip(entries);
}

function importArchive(who: Actor, body: Buffer, query: Record<string, string> = {}) {
  return app.http.post('/api/admin/portfolio-imports').query(query).set('Authorization', who.bearer).attach('file', body, 'portfolio.zip');
}

const newIntern = (email = `interne.${randomBytes(4).toString('hex')}@univ.test`) => makeUser(app.dataSource, { roles: ['intern'], upp: 'toulouse', email });
const tracesOf = async (internId: string): Promise<number> => (await app.dataSource.query(`SELECT count(*)::int AS n FROM trace WHERE intern_id = $1`, [internId]))[0].n;

beforeAll(async () => {
  app = await startTestApp({ CARNET_SECRET_KEY: randomBytes(32).toString('base64') });
  admin = await actor(app.http, app.dataSource, { roles: ['admin'] });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('forged origins', () => {
  it('a key pinned for a deployment is pinned for all its spellings and all its faculties (the key is the deployment’s)', async () => {
    const genuine = newKey();
    const intern = await newIntern();
    await importArchive(admin, await forge({ deployment: DEPLOYMENT, key: genuine, email: intern.email }), { keyFingerprint: fingerprintOf(genuine) }).expect(200);
    const forger = newKey();
    for (const origin of [
      { deployment: `${DEPLOYMENT}/`, faculty: FACULTY },
      { deployment: DEPLOYMENT.toUpperCase().replace('HTTPS', 'https'), faculty: FACULTY },
      { deployment: `${DEPLOYMENT}:443`, faculty: FACULTY },
      { deployment: DEPLOYMENT, faculty: { code: 'montpellier', name: FACULTY.name } },
    ]) {
      const forged = await forge({ ...origin, key: forger, email: intern.email });
      const response = await importArchive(admin, forged, { keyFingerprint: fingerprintOf(forger) });
      expect([origin, response.status]).toEqual([origin, 409]);
    }
    // Nor may the signature be dropped: an unsigned archive from an origin whose key is pinned is a downgrade.
    const unsigned = await importArchive(admin, await forge({ deployment: DEPLOYMENT, email: intern.email }), { acceptUnsigned: 'true' });
    expect(unsigned.status).toBe(409);
    expect(await tracesOf(intern.id)).toBe(1);
  });

  it('a key already accepted for one deployment cannot vouch for another (a forger’s key pinned under a name of theirs, then used for a real faculty)', async () => {
    const forger = newKey();
    const intern = await newIntern();
    await importArchive(admin, await forge({ deployment: 'https://carnet.forger.test', faculty: { code: 'x', name: 'Faculté X' }, key: forger, email: intern.email }), {
      keyFingerprint: fingerprintOf(forger),
    }).expect(200);
    const response = await importArchive(admin, await forge({ deployment: 'https://carnet.unistra.test', faculty: { code: 'strasbourg', name: 'Université de Strasbourg' }, key: forger, email: intern.email }), {
      keyFingerprint: fingerprintOf(forger),
    });
    expect(response.status).toBe(409);
    expect(await tracesOf(intern.id)).toBe(1);
  });

  it('an origin that is no web address, or a faculty that is not a code and a name, is refused naming the manifest', async () => {
    const intern = await newIntern();
    const deep: Record<string, unknown> = {};
    let node = deep;
    for (let i = 0; i < 1000; i++) node = (node.a = {}) as Record<string, unknown>;
    for (const forgery of [
      { deployment: 'javascript:alert(1)' },
      { deployment: 'carnet.umontpellier.test' },
      { faculty: { code: 'm', name: { html: '<b>Montpellier</b>' } } },
      { faculty: { code: 'm', name: 'x'.repeat(301) } },
      { email: 42 },
      { patch: (m: Record<string, any>) => (m.exportedAt = 'hier') },
    ] as Forgery[]) {
      const response = await importArchive(admin, await forge({ ...forgery, email: forgery.email ?? intern.email }), { acceptUnsigned: 'true' });
      expect([JSON.stringify(forgery).slice(0, 80), response.status, response.body.errors?.[0]?.path]).toEqual([JSON.stringify(forgery).slice(0, 80), 422, 'manifest.json']);
    }
    expect(await tracesOf(intern.id)).toBe(0);
    // Whatever else the manifest says of its origin is not kept: a code and a name only.
    await importArchive(admin, await forge({ email: intern.email, deployment: 'https://carnet.autre.test', faculty: { ...FACULTY, junk: deep } }), { acceptUnsigned: 'true' }).expect(200);
    const [row] = await app.dataSource.query(`SELECT imported_origin->'faculty' AS faculty FROM trace WHERE intern_id = $1`, [intern.id]);
    expect(row.faculty).toEqual(FACULTY);
  });
});

describe('someone else’s portfolio', () => {
  it('an archive of another person is imported into a chosen intern only when the admin says so, and the audit says whose it was', async () => {
    const intern = await newIntern();
    const friend = await forge({ email: 'camarade@univ-montpellier.test' });
    const refused = await importArchive(admin, friend, { internId: intern.id, acceptUnsigned: 'true' });
    expect([refused.status, refused.body.errors?.[0]?.path]).toEqual([422, 'acceptOtherIntern']);
    expect(await tracesOf(intern.id)).toBe(0);
    const preview = await importArchive(admin, friend, { internId: intern.id, dryRun: 'true' }).expect(200);
    expect(preview.body.internMatches).toBe(false);
    const accepted = await importArchive(admin, friend, { internId: intern.id, acceptUnsigned: 'true', acceptOtherIntern: 'true' }).expect(200);
    const [entry] = await app.dataSource.query(`SELECT details FROM audit_log WHERE action = 'portfolio.imported' AND details->>'importId' = $1`, [accepted.body.id]);
    expect(entry.details.archiveIntern).toEqual({ displayName: 'Éloïse Müller', email: 'camarade@univ-montpellier.test' });
    // The same person by e-mail, written otherwise: no confirmation needed.
    const same = await newIntern();
    await importArchive(admin, await forge({ email: same.email.toUpperCase() }), { internId: same.id, acceptUnsigned: 'true' }).expect(200);
  });

  it('a jury member, an intern, a deactivated intern, a user who is not an intern', async () => {
    const jury = await actor(app.http, app.dataSource, { roles: ['jury'], upp: 'toulouse' });
    const intern = await actor(app.http, app.dataSource, { roles: ['intern'], upp: 'toulouse' });
    const body = await forge({ email: intern.email });
    await importArchive(jury, body, { acceptUnsigned: 'true' }).expect(403);
    await importArchive(intern, body, { acceptUnsigned: 'true' }).expect(403);
    const tutor = await makeUser(app.dataSource, { roles: ['tutor'], upp: 'toulouse' });
    await importArchive(admin, body, { acceptUnsigned: 'true', internId: tutor.id }).expect(404);
    const gone = await newIntern();
    await app.dataSource.query(`UPDATE app_user SET active = false WHERE id = $1`, [gone.id]);
    await importArchive(admin, body, { acceptUnsigned: 'true', internId: gone.id }).expect(404);
    expect(await tracesOf(gone.id)).toBe(0);
  });
});

describe('forged stamps and records', () => {
  it('content that differs from the canonical content the stamp covers', async () => {
    const intern = await newIntern();
    const body = await forge({
      email: intern.email,
      patch: (m) => m, // the trace file is rewritten below, its hash recomputed in the manifest
      entries: (entries) => {
        const i = entries.findIndex(([n]) => n.endsWith('.json') && n.startsWith('traces/'));
        const record = JSON.parse(entries[i][1].toString());
        record.content = { ...record.content, content: [...record.content.content, { type: 'paragraph', content: [{ type: 'text', text: 'Ajouté hors tampon.' }] }] };
        entries[i][1] = Buffer.from(JSON.stringify(record));
        const m = entries.findIndex(([n]) => n === 'manifest.json');
        const manifest = JSON.parse(entries[m][1].toString());
        Object.assign(manifest.files.find((f: { path: string }) => f.path === entries[i][0]), { size: entries[i][1].length, sha256: sha256(entries[i][1]) });
        entries[m][1] = Buffer.from(JSON.stringify(manifest));
      },
    });
    const response = await importArchive(admin, body, { acceptUnsigned: 'true' });
    expect([response.status, response.body.detail]).toEqual([422, expect.stringContaining('le contenu ne correspond pas à son contenu canonique')]);
  });

  it('a validation dated in the future, or after the export', async () => {
    const intern = await newIntern();
    for (const validatedAt of [new Date(Date.now() + 86_400_000 * 400).toISOString(), '2025-12-01T10:00:00.000Z']) {
      const response = await importArchive(admin, await forge({ email: intern.email, traces: [{ validatedAt }] }), { acceptUnsigned: 'true' });
      expect([validatedAt, response.status, response.body.errors?.[0]?.path]).toEqual([validatedAt, 422, 'traces/001-trace.json']);
    }
    expect(await tracesOf(intern.id)).toBe(0);
  });

  it('the same trace listed twice in the manifest: refused naming the manifest, not a confusing conflict', async () => {
    const intern = await newIntern();
    const body = await forge({ email: intern.email, patch: (m) => m.traces.push({ ...m.traces[0] }) });
    const response = await importArchive(admin, body, { acceptUnsigned: 'true' });
    expect([response.status, response.body.errors?.[0]?.path]).toEqual([422, 'manifest.json']);
  });

  it('an attachment whose name holds control characters, a path or a bidirectional override is stored under a safe name', async () => {
    const intern = await newIntern();
    const filename = '../../etc/\r\nX-Injected: 1\u202egpj.pdf';
    const response = await importArchive(admin, await forge({ email: intern.email, traces: [{ attachments: [{ filename, mimeType: 'application/pdf', bytes: PDF }] }] }), { acceptUnsigned: 'true' }).expect(200);
    expect(response.body.counts.imported).toBe(1);
    const [row] = await app.dataSource.query(`SELECT a.filename FROM attachment a JOIN trace t ON t.id = a.trace_id WHERE t.intern_id = $1`, [intern.id]);
    expect(row.filename).not.toMatch(/[\u0000-\u001f\u007f/\\\u202e]/);
  });
});

describe('oversized fields', () => {
  it('an origin trace id or a validator name of kilobytes is refused naming the trace, not a database error', async () => {
    const intern = await newIntern();
    for (const trace of [{ id: 'x'.repeat(5000) }, { validator: 'V'.repeat(20_000) }] as ForgedTrace[]) {
      const response = await importArchive(admin, await forge({ email: intern.email, traces: [trace] }), { acceptUnsigned: 'true' });
      expect([response.status, response.body.errors?.[0]?.path]).toEqual([422, 'traces/001-trace.json']);
    }
    expect(await tracesOf(intern.id)).toBe(0);
  });
});

describe('relayed traces', () => {
  it('a trace the exporter had itself imported is not shown « validé à » the exporter, who only relays it', async () => {
    const intern = await actor(app.http, app.dataSource, { roles: ['intern'], upp: 'toulouse' });
    const key = newKey();
    const relay = { code: 'toulouse', name: 'Faculté de santé de Toulouse' };
    const body = await forge({
      deployment: 'https://carnet.univ-tlse.test',
      faculty: relay,
      key,
      email: intern.email,
      traces: [{ importedFrom: { faculty: FACULTY.name, deployment: DEPLOYMENT, validator: 'Anne Vidal', validatedAt: '2025-06-01T10:00:00.000Z', sha256: 'x', signed: false } }],
    });
    await importArchive(admin, body, { keyFingerprint: fingerprintOf(key) }).expect(200);
    const list = await app.http.get('/api/traces').query({ internId: intern.user.id }).set('Authorization', intern.bearer).expect(200);
    const trace = (await app.http.get(`/api/traces/${list.body.items[0].id}`).set('Authorization', intern.bearer).expect(200)).body;
    expect(trace.importedFrom).toMatchObject({ faculty: FACULTY.name, deployment: DEPLOYMENT, validator: 'Anne Vidal', signed: false, relayedBy: { faculty: relay.name, deployment: 'https://carnet.univ-tlse.test' } });
  });
});

describe('the parser', () => {
  it('two entries named manifest.json: refused, whichever is first', async () => {
    const intern = await newIntern();
    const body = await forge({ email: intern.email, entries: (entries) => entries.unshift(['manifest.json', Buffer.from('{"format":{"name":"carnet-portfolio","version":2}}')]) });
    const response = await importArchive(admin, body, { acceptUnsigned: 'true' });
    expect([response.status, response.body.errors?.[0]?.path, response.body.detail]).toEqual([422, 'manifest.json', expect.stringContaining('deux fois')]);
  });

  it('entries differing only by case or Unicode normalisation are unlisted files: refused', async () => {
    const intern = await newIntern();
    for (const extra of ['MANIFEST.JSON', 'traces/001-trace.JSON', 'traces/001-trace\u0301.json']) {
      const body = await forge({ email: intern.email, entries: (entries) => entries.push([extra, Buffer.from('{}')]) });
      const response = await importArchive(admin, body, { acceptUnsigned: 'true' });
      expect([extra, response.status, response.body.errors?.[0]?.path]).toEqual([extra, 422, extra]);
    }
  });

  it('content nested deeper than the editor allows', async () => {
    const intern = await newIntern();
    let node: Record<string, unknown> = { type: 'paragraph', content: [{ type: 'text', text: 'fond' }] };
    for (let i = 0; i < 100; i++) node = { type: 'blockquote', content: [node] };
    const response = await importArchive(admin, await forge({ email: intern.email, traces: [{ content: { type: 'doc', content: [node] } }] }), { acceptUnsigned: 'true' });
    expect([response.status, response.body.errors?.[0]?.path]).toEqual([422, 'traces/001-trace.json']);
  });

  it('JSON files adding up past what is held in memory are refused before they are all read (413)', async () => {
    const intern = await newIntern();
    const big = Buffer.alloc(8 * 1024 * 1024 - 16, 0x20);
    const body = await forge({ email: intern.email, entries: (entries) => { for (let i = 0; i < 20; i++) entries.push([`traces/9${i}-x.json`, big]); } });
    const response = await importArchive(admin, body, { acceptUnsigned: 'true' });
    expect(response.status).toBe(413);
  }, 60_000);

  it('an upload cut off midway leaves no temporary file behind', async () => {
    const server = app.app.getHttpServer() as http.Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const boundary = 'x-boundary';
    const before = importFolders();
    const mine = () => [...importFolders()].filter((d) => !before.has(d));
    let reached = 0;
    await new Promise<void>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/admin/portfolio-imports', headers: { authorization: admin.bearer, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(50 * 1024 * 1024) } });
      req.on('error', () => resolve());
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.zip"\r\nContent-Type: application/zip\r\n\r\n`);
      req.write(Buffer.alloc(1024 * 1024, 1), () => setTimeout(() => {
        reached = mine().length;
        req.destroy();
        resolve();
      }, 300));
    });
    // The upload did reach the import: its folder existed.
    expect(reached).toBe(1);
    const deadline = Date.now() + 5_000;
    let left = 0;
    while (Date.now() < deadline) {
      left = mine().length;
      if (left <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(left).toBe(0);
  });
});

describe('races', () => {
  it('the same archive imported twice at once: one import, no duplicate trace, no stray file', async () => {
    const intern = await newIntern();
    const body = await forge({ email: intern.email, traces: [{ attachments: [{ filename: 'ecg.pdf', mimeType: 'application/pdf', bytes: PDF }] }, {}] });
    const [a, b] = await Promise.all([importArchive(admin, body, { acceptUnsigned: 'true' }), importArchive(admin, body, { acceptUnsigned: 'true' })]);
    expect([a.status, b.status]).toContain(200);
    for (const r of [a, b]) expect([200, 409]).toContain(r.status);
    expect(await tracesOf(intern.id)).toBe(2);
    const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM attachment a JOIN trace t ON t.id = a.trace_id WHERE t.intern_id = $1`, [intern.id]);
    expect(n).toBe(1);
    const dir = path.join(app.config.dataDir, 'objects', 'attachments');
    const stored = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile());
    const [{ keys }] = await app.dataSource.query(`SELECT array_agg(storage_key) AS keys FROM attachment`);
    // Every object (and its `.type`) belongs to an attachment row.
    for (const f of stored) expect(keys).toContain(`attachments/${f.replace(/\.type$/, '')}`);
  });
});
