import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { CARNET_METRICS, CarnetMetrics } from '@carnet/metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: CARNET_METRICS, useFactory: () => new CarnetMetrics('api') }],
  exports: [CARNET_METRICS],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('{*path}');
  }
}
