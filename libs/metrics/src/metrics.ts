import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (prom-client). One registry per process: the API serves it
 * at /metrics, the worker on its own small HTTP port (METRICS_PORT).
 */
export class CarnetMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'carnet_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'carnet_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'carnet_job_duration_seconds',
    help: 'Job run time by job name and outcome',
    labelNames: ['job', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly jobFailures = new Counter({
    name: 'carnet_job_failures_total',
    help: 'Job attempts that failed, by job name',
    labelNames: ['job'] as const,
    registers: [this.registry],
  });

  readonly exportSize = new Histogram({
    name: 'carnet_export_size_bytes',
    help: 'Size of finished exports by format',
    labelNames: ['format'] as const,
    buckets: [1e5, 5e5, 1e6, 5e6, 1e7, 5e7, 1e8, 5e8],
    registers: [this.registry],
  });

  readonly sessionLookups = new Counter({
    name: 'carnet_session_lookups_total',
    help: 'Sessions behind authenticated requests, by where they were found: memory (the API process remembered them) or database',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly sessionCacheOn = new Gauge({
    name: 'carnet_session_cache_on',
    help: '1 while the API process remembers sessions (PostgreSQL notifications reach it), else 0',
    registers: [this.registry],
  });

  constructor(process: 'api' | 'worker') {
    this.registry.setDefaultLabels({ process });
    collectDefaultMetrics({ register: this.registry, prefix: 'carnet_' });
  }
}

export const CARNET_METRICS = Symbol('CARNET_METRICS');
