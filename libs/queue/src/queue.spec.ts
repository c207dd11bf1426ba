import { createTestDatabase, TestDatabase, testQueuePrefix } from '../../../test/support/database';
import { startSmtpServer, TestSmtp } from '../../../test/support/smtp-server';
import { MailSender } from '@carnet/mail';
import { JobConsumer, assertHandlersComplete, MissingJobHandlerError } from './job-consumer';
import { JobProducer } from './job-producer';
import { createQueueBackend, QueueBackendConfig } from './queue-backend';
import { JobHandlers } from './jobs';

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

describe.each(['redis', 'postgres'] as const)('a mail job round trip on the %s backend', (kind) => {
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
