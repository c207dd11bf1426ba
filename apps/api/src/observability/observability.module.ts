import { Global, Module } from '@nestjs/common';
import { CARNET_METRICS, CarnetMetrics } from '@carnet/metrics';
import { MetricsController } from './metrics.controller';

/** Prometheus metrics; HTTP latencies are timed by a Fastify hook (`timeRequests`, bootstrap). */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: CARNET_METRICS, useFactory: () => new CarnetMetrics('api') }],
  exports: [CARNET_METRICS],
})
export class ObservabilityModule {}
