import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { CARNET_CONFIG } from '@carnet/config';
import { ResolvedConfig } from '@carnet/infrastructure';
import { createQueueBackend, JobConsumer, JobHandlers } from '@carnet/queue';
import { MailProcessor } from './processors/mail.processor';

/** Binds every job name to its one processor, and runs the BullMQ workers. */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: JobConsumer;

  constructor(
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    private readonly logger: PinoLogger,
    private readonly mail: MailProcessor,
  ) {
    logger.setContext('WorkerService');
  }

  handlers(): JobHandlers {
    return {
      'mail.send': (payload) => this.mail.send(payload),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const backend = createQueueBackend({
      redisUrl: this.config.queue.redisUrl,
      databaseUrl: this.config.databaseUrl,
      prefix: this.config.queue.prefix,
      postgresSchema: this.config.queue.postgresSchema,
    });
    this.consumer = new JobConsumer(backend, this.handlers(), this.config.queue.concurrency);
    await this.consumer.start();
    for (const worker of this.consumer.all) {
      worker.on('failed', (job, error) =>
        this.logger.warn({ jobId: job?.id, job: job?.name, attempt: job?.attemptsMade, err: error }, 'job failed'),
      );
      worker.on('error', (error) => this.logger.error({ err: error }, 'worker error'));
    }
    this.logger.info({ backend: backend.kind }, 'worker ready');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.close();
  }
}
