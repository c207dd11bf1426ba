import { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import { ExportProcessor } from '../../apps/worker/src/exports/export.processor';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { actor, Actor } from '../support/actors';
import { startS3Server } from '../support/s3-server';
import { startCarnet } from '../support/processes';
import { startTestApp, TestApp, testConfig } from '../support/test-app';
import { binaryBody, pdfText, zipEntries } from '../support/files';

const root = path.resolve(__dirname, '../..');
const rsca = JSON.parse(fs.readFileSync(path.resolve(root, '../shared/fixtures/rsca-douleur-thoracique.json'), 'utf8'));
const PDF_ATTACHMENT = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5000, 'y'), Buffer.from('\n%%EOF\n')]);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let api: TestApp;
let admin: Actor;

beforeAll(async () => {
  api = await startTestApp({ EXPORT_RETRY_DELAY_MS: '200', QUEUE_LOCK_DURATION_MS: '4000' }, { worker: true });
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
});
afterAll(async () => {
  await api.close();
});

async function internWithValidatedTraces(count: number, options: { attachment?: boolean; upp?: string } = {}) {
  const intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: options.upp ?? 'montpellier', promotion: 2025, firstName: 'Éloïse', lastName: 'Müller' });
  const tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'montpellier', firstName: 'Anne', lastName: 'Vidal' });
  await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ ...rsca, title: `${rsca.title} n°${i + 1}` }).expect(201);
    if (options.attachment && i === 0) {
      await api.http.post(`/api/traces/${created.body.id}/attachments`).set('Authorization', intern.bearer).attach('file', PDF_ATTACHMENT, 'ECG du cabinet.pdf').expect(201);
    }
    await api.http.post(`/api/traces/${created.body.id}/submit`).set('Authorization', intern.bearer).expect(200);
    await api.http.post(`/api/traces/${created.body.id}/validate`).set('Authorization', tutor.bearer).send({}).expect(200);
    ids.push(created.body.id);
  }
  return { intern, tutor, ids };
}

async function waitForExport(who: Actor, id: string, until: (status: string) => boolean = (s) => s === 'completed' || s === 'failed', timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api.http.get(`/api/exports/${id}`).set('Authorization', who.bearer).expect(200);
    if (until(response.body.status)) return response.body;
    if (Date.now() > deadline) throw new Error(`export ${id} still ${response.body.status} (${response.body.progress}%)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function downloadFile(who: Actor, id: string): Promise<Buffer> {
  const response = await api.http
    .get(`/api/exports/${id}/download`)
    .set('Authorization', who.bearer)
    .buffer(true)
    .parse(binaryBody);
  expect(response.status).toBe(200);
  return response.body as Buffer;
}



describe('requesting an export', () => {
  it('401 without a session, 404 for someone else’s portfolio, 422 for a bad format', async () => {
    const { intern } = await internWithValidatedTraces(0);
    const stranger = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes' });
    await api.http.post(`/api/portfolios/${intern.user.id}/exports`).send({ format: 'pdf', scope: 'validated' }).expect(401);
    await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', stranger.bearer).send({ format: 'pdf', scope: 'validated' }).expect(404);
    await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'docx', scope: 'validated' }).expect(422);
  });
});

describe('the PDF', () => {
  it('goes 202 → completed, with the cover, the traces and their validation stamps as real text', async () => {
    const { intern, tutor, ids } = await internWithValidatedTraces(2);
    const requested = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'pdf', scope: 'validated' }).expect(202);
    expect(requested.body).toMatchObject({ status: 'queued', format: 'pdf' });
    expect(requested.headers.location).toBe(`/api/exports/${requested.body.id}`);
    const done = await waitForExport(intern, requested.body.id);
    expect(done).toMatchObject({ status: 'completed', progress: 100, downloadUrl: `/api/exports/${requested.body.id}/download` });
    expect(done.pages).toBeGreaterThanOrEqual(6);

    const pdf = await downloadFile(intern, requested.body.id);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256(pdf)).toBe(done.sha256);
    expect(pdf.length).toBe(done.size);
    const text = pdfText(pdf);
    expect(text).toContain('Portfolio du DES de médecine générale');
    expect(text).toContain('Éloïse Müller');
    expect(text).toContain('Promotion 2025');
    expect(text).toContain('Anne Vidal');
    expect(text).toContain('Sommaire');
    expect(text).toContain('Une douleur thoracique en fin de consultation n°2');
    expect(text).toContain('Récit de la situation');
    const trace = await api.http.get(`/api/traces/${ids[0]}`).set('Authorization', tutor.bearer).expect(200);
    expect(text).toContain(trace.body.validatedSha256);
    expect(text).toMatch(/par Anne Vidal, le/);
    expect(text).toMatch(/page 2 \/ \d+/);
  });

  it('answers the same pending request with that export (200), and only its requester may read it', async () => {
    const { intern, tutor } = await internWithValidatedTraces(1);
    const first = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'zip', scope: 'all' });
    const again = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'zip', scope: 'all' });
    expect(first.status).toBe(202);
    if (again.status === 200) expect(again.body.id).toBe(first.body.id);
    else {
      // The first had finished already: a new export is then fair.
      expect((await api.http.get(`/api/exports/${first.body.id}`).set('Authorization', intern.bearer)).body.status).toBe('completed');
    }
    await api.http.get(`/api/exports/${first.body.id}`).set('Authorization', tutor.bearer).expect(404);
    await waitForExport(intern, first.body.id);
  });
});

describe('the ZIP', () => {
  it('holds the PDF, each trace as HTML and JSON, the attachments, and a manifest whose hashes match', async () => {
    const { intern, tutor } = await internWithValidatedTraces(2, { attachment: true });
    const requested = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', tutor.bearer).send({ format: 'zip', scope: 'validated' }).expect(202);
    const done = await waitForExport(tutor, requested.body.id);
    expect(done.status).toBe('completed');
    const files = await zipEntries(await downloadFile(tutor, requested.body.id));
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(manifest).toMatchObject({ software: { name: 'Carnet' }, scope: 'validated', intern: { displayName: 'Éloïse Müller' } });
    expect(manifest.traces).toHaveLength(2);
    const paths = manifest.files.map((f: { path: string }) => f.path);
    expect(paths).toContain('portfolio.pdf');
    expect(paths.filter((p: string) => p.endsWith('.html'))).toHaveLength(2);
    expect(paths.filter((p: string) => p.endsWith('.json'))).toHaveLength(2);
    const attachment = paths.find((p: string) => p.endsWith('ECG du cabinet.pdf'));
    expect(attachment).toBeDefined();
    for (const file of manifest.files as { path: string; size: number; sha256: string }[]) {
      const content = files.get(file.path)!;
      expect([file.path, content.length, sha256(content)]).toEqual([file.path, file.size, file.sha256]);
    }
    expect(sha256(files.get(attachment)!)).toBe(sha256(PDF_ATTACHMENT));
    const html = [...files.entries()].find(([name]) => name.endsWith('.html'))![1].toString();
    expect(html).toContain('<h2>Récit de la situation</h2>');
    expect(html).toContain('<table');
  });
});

describe('retention', () => {
  it('deletes the files of exports older than EXPORT_RETENTION_DAYS and marks them expired', async () => {
    const { intern } = await internWithValidatedTraces(1);
    const requested = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'pdf', scope: 'validated' }).expect(202);
    await waitForExport(intern, requested.body.id);
    const [{ storage_key: key }] = await api.dataSource.query(`SELECT storage_key FROM portfolio_export WHERE id = $1`, [requested.body.id]);
    const file = path.join(api.config.dataDir, 'objects', key);
    expect(fs.existsSync(file)).toBe(true);
    const processor = api.worker!.get(ExportProcessor);
    // 29 days later nothing goes; 31 days later (retention 30) the export does.
    expect(await processor.cleanup(new Date(Date.now() + 29 * 86400_000))).toBe(0);
    expect(await processor.cleanup(new Date(Date.now() + 31 * 86400_000))).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(file)).toBe(false);
    const after = await api.http.get(`/api/exports/${requested.body.id}`).set('Authorization', intern.bearer).expect(200);
    expect(after.body.status).toBe('expired');
    const download = await api.http.get(`/api/exports/${requested.body.id}/download`).set('Authorization', intern.bearer).expect(409);
    expect(download.body.detail).toContain('expiré');
  });
});

describe('failures', () => {
  it('retries a job whose storage write fails, then marks it failed with a readable error', async () => {
    const s3 = await startS3Server();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-worker-'));
    const config = testConfig(api.config.databaseUrl, dataDir, {
      REDIS_URL: api.config.queue.redisUrl!,
      QUEUE_PREFIX: api.config.queue.prefix,
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_BUCKET: 'carnet-down',
      EXPORT_RETRY_DELAY_MS: '200',
    });
    // The in-process worker of `api` stops; this one stores to S3, which then goes down.
    await api.worker!.close();
    const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
    await worker.init();
    await s3.close();
    try {
      const { intern } = await internWithValidatedTraces(1);
      const requested = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'pdf', scope: 'validated' }).expect(202);
      const failed = await waitForExport(intern, requested.body.id, (s) => s === 'failed' || s === 'completed');
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(/^La génération a échoué après 3 tentative\(s\)/);
      await api.http.get(`/api/exports/${requested.body.id}/download`).set('Authorization', intern.bearer).expect(409);
    } finally {
      await worker.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      api.worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config), { logger: false });
      await api.worker.init();
    }
  });
});

describe('a worker killed mid-export', () => {
  const workers: ChildProcess[] = [];
  const startWorker = () => {
    const child = startCarnet('worker', {
      DATABASE_URL: api.config.databaseUrl,
      REDIS_URL: api.config.queue.redisUrl,
      QUEUE_PREFIX: api.config.queue.prefix,
      DATA_DIR: api.config.dataDir,
      QUEUE_LOCK_DURATION_MS: '3000',
    });
    workers.push(child);
    return child;
  };
  afterAll(() => workers.forEach((w) => w.exitCode === null && w.kill('SIGKILL')));

  it('is taken over by a second worker process, which finishes the job once', async () => {
    await api.worker!.close(); // only the two processes below work now
    try {
      const { intern } = await internWithValidatedTraces(40);
      const first = startWorker();
      const requested = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'zip', scope: 'validated' }).expect(202);
      await waitForExport(intern, requested.body.id, (s) => s === 'running', 30_000);
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      startWorker();
      const done = await waitForExport(intern, requested.body.id, undefined, 90_000);
      expect(done.status).toBe('completed');
      const pdfFiles = await zipEntries(await downloadFile(intern, requested.body.id));
      expect(pdfText(pdfFiles.get('portfolio.pdf')!)).toContain('Une douleur thoracique en fin de consultation n°40');
      const rows = await api.dataSource.query(`SELECT count(*)::int AS n FROM portfolio_export WHERE intern_id = $1 AND status = 'completed'`, [intern.user.id]);
      expect(rows[0].n).toBe(1);
    } finally {
      api.worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config), { logger: false });
      await api.worker.init();
    }
  });
});
