import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { backup, BackupError, restore } from '@carnet/backup';
import { openDatabase } from '@carnet/database';
import { canonicalJson, sha256Hex } from '@carnet/editor';
import { actor } from '../support/actors';
import { createTestDatabase, TestDatabase } from '../support/database';
import { builtScript } from '../support/processes';
import { startTestApp, TestApp, testConfig } from '../support/test-app';

const rsca = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 'q')]);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `carnet-${name}-`));

/** What must survive a backup and restore, as hashes. */
async function fingerprint(dataSource: DataSource, objectsRoot: string) {
  const traces = await dataSource.query(`SELECT id, title, content, status, validated_sha256 FROM trace ORDER BY id`);
  const revisions = await dataSource.query(`SELECT trace_id, number, sha256 FROM trace_revision ORDER BY trace_id, number`);
  const attachments = await dataSource.query(`SELECT id, sha256, storage_key FROM attachment ORDER BY id`);
  const exports = await dataSource.query(`SELECT id, sha256, storage_key FROM portfolio_export WHERE status = 'completed' ORDER BY id`);
  const file = (key: string) => sha256(fs.readFileSync(path.join(objectsRoot, key)));
  return {
    traces: traces.map((t: { id: string; title: string; content: unknown; status: string; validated_sha256: string }) => [t.id, t.title, sha256Hex(canonicalJson(t.content)), t.status, t.validated_sha256]),
    revisions: revisions.map((r: { trace_id: string; number: number; sha256: string }) => [r.trace_id, r.number, r.sha256]),
    attachments: attachments.map((a: { id: string; sha256: string; storage_key: string }) => [a.id, a.sha256, file(a.storage_key)]),
    exports: exports.map((e: { id: string; sha256: string; storage_key: string }) => [e.id, e.sha256, file(e.storage_key)]),
  };
}

describe('backup and restore of a populated system', () => {
  let api: TestApp;
  let target: TestDatabase;
  const backups = tmp('backups');

  beforeAll(async () => {
    api = await startTestApp({}, { worker: true });
    target = await createTestDatabase();
    const admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
    const intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'beziers', promotion: 2025 });
    const tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'beziers' });
    await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
    const trace = await api.http.post('/api/traces').set('Authorization', intern.bearer).send(rsca).expect(201);
    await api.http.post(`/api/traces/${trace.body.id}/attachments`).set('Authorization', intern.bearer).attach('file', PDF, 'ECG.pdf').expect(201);
    await api.http.post(`/api/traces/${trace.body.id}/submit`).set('Authorization', intern.bearer).expect(200);
    await api.http.post(`/api/traces/${trace.body.id}/validate`).set('Authorization', tutor.bearer).send({}).expect(200);
    const exported = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'zip', scope: 'validated' }).expect(202);
    for (let i = 0; i < 200; i++) {
      const status = await api.http.get(`/api/exports/${exported.body.id}`).set('Authorization', intern.bearer);
      if (status.body.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => {
    await api.close();
    await target.drop();
    fs.rmSync(backups, { recursive: true, force: true });
  });

  it('finds every trace, revision, attachment and export identical after restoring onto an empty system', async () => {
    const out = path.join(backups, 'full');
    const manifest = await backup(api.config, out);
    expect(manifest.database.kind).toBe('postgres');
    expect(manifest.storage.objects.map((o) => o.key.split('/')[0]).sort()).toEqual(['attachments', 'exports']);

    const restoredDir = tmp('restored');
    const restoredConfig = testConfig(target.url, restoredDir);
    await restore(restoredConfig, out);
    const restored = await openDatabase(target.url, 2); // migrations: nothing left to apply
    try {
      const before = await fingerprint(api.dataSource, path.join(api.config.dataDir, 'objects'));
      const after = await fingerprint(restored, path.join(restoredDir, 'objects'));
      expect(after).toEqual(before);
      expect(before.traces).toHaveLength(1);
      expect(before.revisions).toHaveLength(1);
      expect(before.attachments).toHaveLength(1);
      expect(before.exports).toHaveLength(1);
      const [user] = await restored.query(`SELECT count(*)::int AS n FROM app_user`);
      expect(user.n).toBe(3);
    } finally {
      await restored.destroy();
      fs.rmSync(restoredDir, { recursive: true, force: true });
    }
  });

  it('refuses a damaged backup, and a target that is not empty, changing nothing', async () => {
    const out = path.join(backups, 'damaged');
    const manifest = await backup(api.config, out);
    const object = path.join(out, manifest.storage.objects[0].path);
    fs.appendFileSync(object, 'x');
    const emptyDir = tmp('empty');
    await expect(restore(testConfig(target.url, emptyDir), out)).rejects.toThrow(/damaged/);
    expect(fs.existsSync(path.join(emptyDir, 'objects'))).toBe(false);
    await expect(restore(testConfig(api.config.databaseUrl, emptyDir), path.join(backups, 'full'))).rejects.toThrow(/already holds Carnet data/);
    await expect(backup(api.config, out)).rejects.toBeInstanceOf(BackupError);
    fs.rmSync(emptyDir, { recursive: true, force: true });
  });
});

describe('backup and restore of the embedded database', () => {
  // PGlite loads its WebAssembly with dynamic imports, which Jest's module loader does not run:
  // this journey drives the built commands in child processes, as an operator would.
  const root = path.resolve(__dirname, '../..');
  const cli = (entry: string, args: string[], dataDir: string) =>
    spawnSync(process.execPath, [path.join(root, 'scripts/run.js'), path.join(root, entry), ...args], {
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 120_000,
    });
  const count = (dataDir: string) => {
    const script = builtScript(`
      const { startEmbeddedPostgres, openDatabase } = require('@carnet/database');
      (async () => {
        const pg = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} });
        const ds = await openDatabase(pg.url, 2);
        const [row] = await ds.query("SELECT (SELECT count(*) FROM app_user)::int AS users, (SELECT count(*) FROM tutorship)::int AS tutorships");
        await ds.destroy(); await pg.stop();
        process.stdout.write(JSON.stringify(row));
      })();`);
    return JSON.parse(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 }).stdout);
  };

  it('copies the stopped data directory and its files, and restores them elsewhere', () => {
    const dataDir = tmp('embedded');
    const out = `${dataDir}-backup`;
    const restoredDir = tmp('embedded-restored');
    try {
      expect(cli('dist/libs/database/src/cli.js', ['seed-demo'], dataDir).status).toBe(0);
      fs.mkdirSync(path.join(dataDir, 'objects/attachments/t'), { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'objects/attachments/t/1'), PDF);
      fs.writeFileSync(path.join(dataDir, 'objects/attachments/t/1.type'), 'application/pdf');

      const saved = cli('dist/libs/backup/src/cli.js', ['backup', out], dataDir);
      expect(saved.stdout).toMatch(/^Backed up embedded database \(\d+ file\(s\)\) and 1 stored object\(s\)/);
      const restored = cli('dist/libs/backup/src/cli.js', ['restore', out], restoredDir);
      expect(restored.status).toBe(0);
      expect(count(restoredDir)).toEqual({ users: 14, tutorships: 6 });
      expect(sha256(fs.readFileSync(path.join(restoredDir, 'objects/attachments/t/1')))).toBe(sha256(PDF));
      // A second restore onto the now populated system is refused.
      const again = cli('dist/libs/backup/src/cli.js', ['restore', out], restoredDir);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('not empty');
    } finally {
      for (const dir of [dataDir, out, restoredDir]) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
