import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import http from 'node:http';
import { CARNET_METRICS, CarnetMetrics } from '@carnet/metrics';
import { CARNET_CONFIG } from '@carnet/config';
import { ResolvedConfig } from '@carnet/infrastructure';
import { createQueueBackend, JOB_PRODUCER, JobConsumer, JobHandlers, JobProducer, QueueName } from '@carnet/queue';
import { ExportProcessor } from './exports/export.processor';
import { MailProcessor } from './mail/mail.processor';
import { RemindersProcessor } from './reminders/reminders.processor';
import { RetentionProcessor } from './retention/retention.processor';
import { AuditRollupProcessor } from './audit/audit-rollup.processor';
import { AttachmentScanProcessor } from './scans/attachment-scan.processor';

export const CLEANUP_EVERY_MS = 6 * 3600 * 1000;

/** Binds every job name to its one processor, schedules the repeatable jobs, runs the workers. */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: JobConsumer;
  private metricsServer?: http.Server;

  constructor(
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(JOB_PRODUCER) private readonly producer: JobProducer,
    private readonly logger: PinoLogger,
    private readonly mail: MailProcessor,
    private readonly exports: ExportProcessor,
    private readonly reminders: RemindersProcessor,
    @Inject(CARNET_METRICS) private readonly metrics: CarnetMetrics,
    private readonly retention: RetentionProcessor,
    private readonly auditRollup: AuditRollupProcessor,
    private readonly scans: AttachmentScanProcessor,
  ) {
    logger.setContext('WorkerService');
  }

  handlers(): JobHandlers {
    return {
      'mail.send': (payload) => this.mail.send(payload),
      'export.build': (payload, context) => this.exports.build(payload, context),
      'exports.cleanup': () => this.exports.cleanup(),
      'reminders.run': () => this.reminders.run(),
      'retention.purge': () => this.retention.purge(),
      'audit.rollup': () => this.auditRollup.run(),
      'attachment.scan': (payload, context) => this.scans.scan(payload, context),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const backend = createQueueBackend({
      redisUrl: this.config.queue.redisUrl,
      databaseUrl: this.config.databaseUrl,
      prefix: this.config.queue.prefix,
      postgresSchema: this.config.queue.postgresSchema,
      notifications: this.config.queue.notifications,
    });
    this.consumer = new JobConsumer(backend, this.handlers(), {
      concurrency: this.config.queue.concurrency,
      // One scan at a time per process: OCR keeps a core busy for as long as it reads.
      queueConcurrency: { [QueueName.Exports]: this.config.exports.concurrency, [QueueName.Scans]: 1 },
      lockDurationMs: this.config.queue.lockDurationMs,
      onJobFinished: (name, seconds, ok) => {
        this.metrics.jobDuration.observe({ job: name, outcome: ok ? 'completed' : 'failed' }, seconds);
        if (!ok) this.metrics.jobFailures.inc({ job: name });
      },
    });
    await this.consumer.start();
    for (const worker of this.consumer.all) {
      worker.on('failed', (job, error) =>
        this.logger.warn({ jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, err: error }, 'job failed'),
      );
      worker.on('error', (error) => this.logger.error({ err: error }, 'worker error'));
    }
    // One scheduler, whatever the number of workers: BullMQ keys it by id.
    await this.producer
      .queue(QueueName.Exports)
      .upsertJobScheduler('exports-cleanup', { every: CLEANUP_EVERY_MS }, { name: 'exports.cleanup', data: {} });
    await this.producer
      .queue(QueueName.Reminders)
      .upsertJobScheduler('reminders-daily', { pattern: '0 8 * * *', tz: 'Europe/Paris' }, { name: 'reminders.run', data: {} });
    await this.producer
      .queue(QueueName.Reminders)
      .upsertJobScheduler('retention-daily', { pattern: '0 3 * * *', tz: 'Europe/Paris' }, { name: 'retention.purge', data: {} });
    // Days are UTC days, final an hour after they end.
    await this.producer.queue(QueueName.Reminders).upsertJobScheduler('audit-rollup-daily', { pattern: '30 1 * * *', tz: 'UTC' }, { name: 'audit.rollup', data: {} });
    // And now: a deployment upgraded with years of log, or a worker down at 01:30, catches up.
    await this.producer.enqueue('audit.rollup', {});
    await this.scans.enqueuePending();
    this.serveMetrics();
    this.logger.info({ backend: backend.kind }, 'worker ready');
  }

  /** The worker's metrics for Prometheus, on METRICS_PORT (0: none); a busy port only warns. */
  private serveMetrics(): void {
    const { port, token } = this.config.metrics;
    if (!port) return;
    this.metricsServer = http.createServer(async (request, response) => {
      if (request.url !== '/metrics' || (token && request.headers.authorization !== `Bearer ${token}`)) {
        response.writeHead(request.url === '/metrics' ? 401 : 404).end();
        return;
      }
      response.writeHead(200, { 'Content-Type': this.metrics.registry.contentType }).end(await this.metrics.registry.metrics());
    });
    this.metricsServer.on('error', (error) => this.logger.warn({ err: error, port }, 'metrics port unavailable: no worker metrics'));
    this.metricsServer.listen(port);
  }

  async onApplicationShutdown(): Promise<void> {
    this.metricsServer?.close();
    await this.consumer?.close();
  }
}
