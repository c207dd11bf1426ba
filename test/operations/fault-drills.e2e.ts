import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { NestFactory } from '@nestjs/core';
import { S3Driver } from '@carnet/storage';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { actor, Actor } from '../support/actors';
import { startPrivatePostgres } from '../support/private-postgres';
import { startS3Server } from '../support/s3-server';
import { startTestApp, TestApp } from '../support/test-app';

/** A Redis of the drill's own (the shared one must not be restarted under other tests). */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const probe = () => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.end(), resolve(redis)));
      socket.on('error', () => (Date.now() > deadline ? reject(new Error('redis did not start')) : setTimeout(probe, 50)));
    };
    probe();
  });
}

const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

describe('Redis restarted while exports are queued', () => {
  let api: TestApp;
  let redis: ChildProcess;
  let port: number;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-redis-'));

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port, dir);
    api = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}`, EXPORT_RETRY_DELAY_MS: '200' });
  });
  afterAll(async () => {
    await api.close();
    redis.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('still completes every export, once', async () => {
    const admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
    const jobs: { who: Actor; id: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'narbonne' });
      const tutor = await actor(api.http, api.dataSource, { roles: ['tutor'], upp: 'narbonne' });
      await api.http.post('/api/tutorships').set('Authorization', admin.bearer).send({ tutorId: tutor.user.id, internId: intern.user.id }).expect(201);
      const trace = await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'trace', title: `T${i}`, competences: [], familles: [], content: paragraph('x') }).expect(201);
      await api.http.post(`/api/traces/${trace.body.id}/submit`).set('Authorization', intern.bearer).expect(200);
      await api.http.post(`/api/traces/${trace.body.id}/validate`).set('Authorization', tutor.bearer).send({}).expect(200);
      const requested = await api.http.post(`/api/portfolios/${intern.user.id}/exports`).set('Authorization', intern.bearer).send({ format: 'pdf', scope: 'validated' }).expect(202);
      jobs.push({ who: intern, id: requested.body.id });
    }
    // No worker yet: the jobs wait in Redis. Redis dies and comes back (append-only file).
    redis.kill('SIGKILL');
    await new Promise((resolve) => redis.once('exit', resolve));
    redis = await startRedis(port, dir);
    api.worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(api.config), { logger: false });
    await api.worker.init();

    for (const job of jobs) {
      for (let i = 0; ; i++) {
        const status = await api.http.get(`/api/exports/${job.id}`).set('Authorization', job.who.bearer).expect(200);
        if (status.body.status === 'completed') break;
        if (status.body.status === 'failed' || i > 300) throw new Error(JSON.stringify(status.body));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const rows = await api.dataSource.query(`SELECT attempts FROM portfolio_export WHERE id = ANY($1)`, [jobs.map((j) => j.id)]);
    expect(rows.map((r: { attempts: number }) => r.attempts)).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('storage unreachable during an upload', () => {
  it('answers a clean error and stores nothing half-way', async () => {
    const s3 = await startS3Server();
    const api = await startTestApp({ STORAGE_DRIVER: 's3', S3_ENDPOINT: s3.endpoint, S3_ACCESS_KEY: s3.accessKey, S3_SECRET_KEY: s3.secretKey, S3_BUCKET: 'carnet-drill' });
    try {
      const intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'narbonne' });
      const trace = await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'other', title: 'Attestation', competences: [], familles: [] }).expect(201);
      await s3.close(); // the object store goes away
      const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(50_000, 'a')]);
      const response = await api.http.post(`/api/traces/${trace.body.id}/attachments`).set('Authorization', intern.bearer).attach('file', pdf, 'attestation.pdf');
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(response.body.detail).toMatch(/^Le stockage des fichiers est indisponible/);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js/);
      const rows = await api.dataSource.query(`SELECT 1 FROM attachment WHERE trace_id = $1`, [trace.body.id]);
      expect(rows).toHaveLength(0);
    } finally {
      await api.close();
    }
  });

  it('(the S3 driver itself leaves no object behind when the stream breaks)', async () => {
    const s3 = await startS3Server();
    try {
      const driver = new S3Driver({ endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, bucket: 'carnet-broken', region: 'us-east-1' });
      await driver.ensureBucket();
      const broken = new Readable({
        read() {
          this.push(Buffer.alloc(1024));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(driver.put('attachments/x/1', broken, 10_000, 'application/pdf')).rejects.toThrow();
      expect(await driver.stat('attachments/x/1')).toBeNull();
    } finally {
      await s3.close();
    }
  });
});

describe('PostgreSQL restarted during a burst of autosaves', () => {
  it('gives clients errors, never an acknowledged save that is lost', async () => {
    const port = await freePort();
    const pg = startPrivatePostgres(port);
    const api = await startTestApp({}, { database: pg.url });
    try {
      const intern = await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'beziers' });
      const traces = await Promise.all(
        [0, 1, 2, 3].map(async (i) => (await api.http.post('/api/traces').set('Authorization', intern.bearer).send({ kind: 'trace', title: `T${i}`, competences: [], familles: [] }).expect(201)).body.id as string),
      );
      const acknowledged = new Map<string, { version: number; title: string }>();
      let errors = 0;
      const burst = async (id: string, until: number) => {
        let version = 1;
        for (let n = 0; Date.now() < until; n++) {
          const response = await api.http.patch(`/api/traces/${id}`).set('Authorization', intern.bearer).set('If-Match', `"${version}"`).send({ title: `écriture ${n}` });
          if (response.status === 200) {
            version = response.body.version;
            acknowledged.set(id, { version, title: response.body.title });
          } else {
            errors++;
            expect(response.status).toBeGreaterThanOrEqual(400); // a clear refusal, never a false success
            await new Promise((resolve) => setTimeout(resolve, 100));
            const current = await api.http.get(`/api/traces/${id}`).set('Authorization', intern.bearer);
            if (current.status === 200) version = current.body.version;
          }
        }
      };
      const until = Date.now() + 6000;
      const load = Promise.all(traces.map((id) => burst(id, until)));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      pg.stop(); // immediate shutdown: connections cut mid-transaction
      await new Promise((resolve) => setTimeout(resolve, 1000));
      pg.start();
      await load;
      expect(errors).toBeGreaterThan(0);
      // After the restart, what each client last saw acknowledged is what the database holds.
      for (const id of traces) {
        const stored = await api.http.get(`/api/traces/${id}`).set('Authorization', intern.bearer).expect(200);
        expect({ version: stored.body.version, title: stored.body.title }).toEqual(acknowledged.get(id));
      }
    } finally {
      await api.close().catch(() => undefined);
      pg.destroy();
    }
  });
});
