import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createQueueBackend, JobProducer } from '@carnet/queue';
import { createMigratedDatabase, MigratedDatabase, testQueuePrefix } from '../support/database';
import { exited, startCarnet, until } from '../support/processes';
import { startSmtpServer, TestSmtp } from '../support/smtp-server';

/**
 * Fault drill: the worker process is killed (SIGKILL) in the middle of the daily reminders run,
 * while mails are going out, and started again. No reminder arrives twice, and every one arrives
 * but those the kill caught in the middle of an SMTP conversation.
 */
const TUTORS = 150;
let database: MigratedDatabase;
let dataSource: DataSource;
let smtp: TestSmtp;
let producer: JobProducer;
const prefix = testQueuePrefix();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-reminders-'));
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = startCarnet('worker', {
    DATABASE_URL: database.url,
    REDIS_URL: process.env.TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    QUEUE_LOCK_DURATION_MS: '1500', // a killed worker's jobs are taken back within seconds
    SMTP_URL: smtp.url,
    DATA_DIR: dataDir,
  });
  workers.push(child);
  return child;
}

beforeAll(async () => {
  database = await createMigratedDatabase();
  dataSource = database.dataSource;
  smtp = await startSmtpServer({ delayMs: 15 });
  producer = new JobProducer(createQueueBackend({ redisUrl: process.env.TEST_REDIS_URL, databaseUrl: database.url, prefix, postgresSchema: 'bullmq' }));
  // 150 tutors, each with one intern whose trace has waited 20 days: two reminders per tutor
  // (the trace waiting, the weekly digest), 300 mails in all.
  await dataSource.query(`INSERT INTO promotion (year) VALUES (2025)`);
  await dataSource.query(
    `WITH n AS (SELECT generate_series(1, $1) AS i),
          tutors AS (INSERT INTO app_user (email, last_name, first_name, roles) SELECT 'msu' || i || '@drill.test', 'Tuteur' || i, 'Marc', '{tutor}' FROM n RETURNING id, email),
          interns AS (INSERT INTO app_user (email, last_name, first_name, roles, promotion) SELECT 'img' || i || '@drill.test', 'Interne' || i, 'Ada', '{intern}', 2025 FROM n RETURNING id, email),
          pairs AS (INSERT INTO tutorship (tutor_id, intern_id, promotion)
                    SELECT t.id, i.id, 2025 FROM tutors t JOIN interns i ON substring(t.email FROM 4) = substring(i.email FROM 4) RETURNING intern_id)
     INSERT INTO trace (intern_id, kind, title, content, status, ever_submitted, submitted_at)
     SELECT intern_id, 'trace', 'En attente', '{"type":"doc","content":[]}', 'submitted', true, now() - interval '20 days' FROM pairs`,
    [TUTORS],
  );
}, 60_000);

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  await producer.close();
  await smtp.close();
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the worker killed during the reminders run', () => {
  it('sends every reminder once after a restart', async () => {
    const first = startWorker();
    await producer.enqueue('reminders.run', {}, { jobId: 'reminders-drill' });
    // Kill it once the run is well under way: some reminders claimed and mailed, most not yet.
    const claimedAtKill = await until('the run to start', async () => {
      const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM reminder_log`);
      return n >= 30 && smtp.messages.length > 0 ? (n as number) : undefined;
    });
    first.kill('SIGKILL');
    await exited(first);
    const mailedAtKill = smtp.messages.length;
    expect(claimedAtKill).toBeLessThan(2 * TUTORS);
    expect(mailedAtKill).toBeLessThan(2 * TUTORS);

    startWorker();
    await until('every reminder to be taken for sending', async () => {
      const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM reminder_log WHERE sending_at IS NOT NULL`);
      return n === 2 * TUTORS ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 3000)); // any late duplicate would arrive now

    const received = smtp.messages.map((m) => `${m.to.join(',')} ${m.subject.startsWith('Une trace attend') ? 'attente' : 'digest'}`);
    // Never twice: not one recipient got the same reminder two times.
    expect(new Set(received).size).toBe(received.length);
    // Every reminder went out, except the few the kill caught mid-conversation with SMTP (at most
    // one per mail job running: WORKER_CONCURRENCY, 2); those are recorded as unconfirmed.
    const [{ unconfirmed }] = await dataSource.query(`SELECT count(*)::int AS unconfirmed FROM reminder_log WHERE sent_at IS NULL`);
    expect(unconfirmed).toBeLessThanOrEqual(2);
    expect(received.length).toBeGreaterThanOrEqual(2 * TUTORS - unconfirmed);
    for (let i = 1; i <= TUTORS; i++) {
      expect(received.filter((r) => r.startsWith(`msu${i}@drill.test `)).length).toBeGreaterThanOrEqual(1);
    }
  });
});
