import { createTestDatabase, TestDatabase, testQueuePrefix } from '../../../test/support/database';
import { startSmtpServer, TestSmtp } from '../../../test/support/smtp-server';
import { MailSender } from '@carnet/mail';
import { JobConsumer, assertHandlersComplete, MissingJobHandlerError } from './job-consumer';
import { JobProducer } from './job-producer';
import { createQueueBackend, QueueBackendConfig } from './queue-backend';
import { InvalidJobPayloadError } from './job-payloads';
import { JobHandlers, QueueName } from './jobs';

const quiet = { info: () => undefined };

describe('job handlers', () => {
  it('refuse to start with a job left without a handler', () => {
    expect(() => assertHandlersComplete({})).toThrow(MissingJobHandlerError);
    expect(() => assertHandlersComplete({})).toThrow(/mail\.send/);
  });
  it('refuse a handler for a job nobody enqueues', () => {
    const all = { 'mail.send': async () => 1, 'export.build': async () => 1, 'exports.cleanup': async () => 1, 'reminders.run': async () => 1, 'retention.purge': async () => 1, 'audit.rollup': async () => 1 };
    expect(() => assertHandlersComplete({ ...all, 'export.nothing': async () => 1 })).toThrow(
      /unknown job export\.nothing/,
    );
  });
});

describe.each(['redis', 'postgres'] as const)('jobs on the %s backend', (kind) => {
  let smtp: TestSmtp;
  let database: TestDatabase;
  let config: QueueBackendConfig;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    database = await createTestDatabase();
    config = {
      redisUrl: kind === 'redis' ? process.env.TEST_REDIS_URL : undefined,
      databaseUrl: database.url,
      prefix: testQueuePrefix(),
      postgresSchema: 'bullmq',
    };
  });
  afterAll(async () => {
    await smtp.close();
    await database.drop();
  });

  /** Handlers that record what they are given, and do nothing else. */
  const recording = (runs: string[]): JobHandlers => ({
    'mail.send': async (payload) => void runs.push(`mail.send ${JSON.stringify(payload)}`),
    'export.build': async (payload) => void runs.push(`export.build ${JSON.stringify(payload)}`),
    'exports.cleanup': async () => void runs.push('exports.cleanup'),
    'reminders.run': async () => void runs.push('reminders.run'),
    'retention.purge': async () => void runs.push('retention.purge'),
    'audit.rollup': async () => void runs.push('audit.rollup'),
    'attachment.scan': async (payload) => void runs.push(`attachment.scan ${JSON.stringify(payload)}`),
  });

  it('fails a job another version enqueued at once, naming the job and the field, without running or retrying it', async () => {
    const producer = new JobProducer(createQueueBackend(config));
    const runs: string[] = [];
    const consumer = new JobConsumer(createQueueBackend(config), recording(runs), { concurrency: 1 });
    try {
      await consumer.start();
      const failures: { id?: string; error: Error }[] = [];
      for (const worker of consumer.all) worker.on('failed', (job, error) => failures.push({ id: job?.id, error }));
      // As an older version enqueued it: the export's id under another name, three attempts allowed.
      const queued = await producer.queue(QueueName.Exports).add('export.build', { id: 'export-1' }, { attempts: 3, backoff: { type: 'fixed', delay: 50 } });
      const deadline = Date.now() + 20_000;
      while (!failures.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // time for a retry, were there one

      const reason = `Tâche export.build (${queued.id}) refusée sans être exécutée : le champ id est inconnu de cette version (il vaut « export-1 »). Sans doute mise en file par une autre version de Carnet ; elle ne sera pas relancée.`;
      expect(failures).toEqual([{ id: queued.id, error: expect.any(InvalidJobPayloadError) }]);
      expect(failures[0].error.message).toBe(reason);
      const stored = (await producer.queue(QueueName.Exports).getJob(queued.id!))!;
      expect({ state: await stored.getState(), attemptsMade: stored.attemptsMade, failedReason: stored.failedReason }).toEqual({ state: 'failed', attemptsMade: 1, failedReason: reason });
      expect(runs).toEqual([]);

      // The same job as this version enqueues it runs.
      await producer.enqueue('export.build', { exportId: '0b8f6a2e-5d7c-4c1e-9a43-2f6d8e1b7c90' });
      while (!runs.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(runs).toEqual(['export.build {"exportId":"0b8f6a2e-5d7c-4c1e-9a43-2f6d8e1b7c90"}']);
    } finally {
      await consumer.close();
      await producer.close();
    }
  });

  it('is enqueued by the producer, run once by the worker, and delivered over SMTP', async () => {
    const producer = new JobProducer(createQueueBackend(config));
    const sender = new MailSender({ smtpUrl: smtp.url, from: 'Carnet <carnet@dumg.test>' }, quiet);
    let runs = 0;
    const handlers: JobHandlers = {
      'mail.send': async (payload) => {
        runs++;
        await sender.send(payload);
      },
      'export.build': async () => undefined,
      'exports.cleanup': async () => undefined,
      'reminders.run': async () => undefined,
      'retention.purge': async () => undefined,
      'audit.rollup': async () => undefined,
      'attachment.scan': async () => undefined,
    };
    const consumer = new JobConsumer(createQueueBackend(config), handlers, { concurrency: 2 });
    try {
      await consumer.start();
      const payload = { to: 'interne@dumg.test', subject: 'Votre trace a été validée', text: 'Bravo, Élodie !' };
      // The same jobId twice, as a double click would: one job, one mail.
      await producer.enqueue('mail.send', payload, { jobId: 'mail-validated-1' });
      await producer.enqueue('mail.send', payload, { jobId: 'mail-validated-1' });
      const mail = await smtp.waitFor((m) => m.subject === 'Votre trace a été validée');
      expect(mail.to).toEqual(['interne@dumg.test']);
      expect(mail.text.trim()).toBe('Bravo, Élodie !');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(runs).toBe(1);
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await consumer.close();
      await producer.close();
      sender.close();
    }
  });
});
