import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CARNET_CONFIG } from '@carnet/config';
import { DomainError, ErrorCode } from '@carnet/domain';
import { ResolvedConfig } from '@carnet/infrastructure';
import { CARNET_METRICS, CarnetMetrics } from '@carnet/metrics';
import { JOB_PRODUCER, JobProducer, QueueName } from '@carnet/queue';
import { Public, Roles } from '../auth/access.decorator';
import { sameSecret } from '../auth/tokens';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Prometheus metrics (`GET /metrics`, outside /api), guarded by METRICS_TOKEN when it is set. */
@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(
    @Inject(CARNET_METRICS) private readonly metrics: CarnetMetrics,
    @Inject(JOB_PRODUCER) private readonly jobs: JobProducer,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
  ) {}

  @Get('metrics')
  @Public()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const token = this.config.metrics.token;
    if (token && !(authorization?.startsWith('Bearer ') && sameSecret(authorization.slice(7), token))) {
      throw new DomainError(ErrorCode.Unauthenticated, 'Jeton de métriques requis.');
    }
    await this.refreshQueueDepths();
    reply.header('Content-Type', this.metrics.registry.contentType);
    reply.send(await this.metrics.registry.metrics());
  }

  /** Queue depths for the DUMG's technical staff (a light dashboard). */
  @Get('admin/queues')
  @Roles('admin')
  async queues() {
    return Promise.all(
      Object.values(QueueName).map(async (queue) => ({ queue, counts: await this.jobs.queue(queue).getJobCounts(...STATES) })),
    );
  }

  private async refreshQueueDepths(): Promise<void> {
    await Promise.all(
      Object.values(QueueName).map(async (queue) => {
        const counts = await this.jobs
          .queue(queue)
          .getJobCounts(...STATES)
          .catch(() => null);
        for (const state of STATES) if (counts) this.metrics.queueDepth.set({ queue, state }, counts[state] ?? 0);
      }),
    );
  }
}
