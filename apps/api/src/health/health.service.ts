import { Inject, Injectable } from '@nestjs/common';
import { HealthRepository } from '@carnet/database';
import { JOB_PRODUCER, JobProducer } from '@carnet/queue';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';

export type CheckStatus = 'up' | 'down';
export interface HealthReport {
  status: 'ok' | 'error';
  checks: { database: CheckStatus; queue: CheckStatus; storage: CheckStatus };
}

const TIMEOUT_MS = 2_000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

/**
 * The three dependencies, checked in parallel with a short timeout each, so a hung Redis makes
 * the health check answer 503 in two seconds rather than hang the load balancer's probe.
 */
@Injectable()
export class HealthService {
  constructor(
    private readonly database: HealthRepository,
    @Inject(JOB_PRODUCER) private readonly producer: JobProducer,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, queue, storage] = await Promise.all(
      [this.database.ping(), this.producer.ping(), this.storage.check()].map((check) =>
        within(check, TIMEOUT_MS).then(
          (): CheckStatus => 'up',
          (): CheckStatus => 'down',
        ),
      ),
    );
    const checks = { database, queue, storage };
    return { status: Object.values(checks).every((s) => s === 'up') ? 'ok' : 'error', checks };
  }
}
