import type { Job, Worker } from 'bullmq';
import { checkedPayload } from './job-payloads';
import { JOB_NAMES, JOB_QUEUES, JobContext, JobHandlers, JobName, QueueName } from './jobs';
import { QueueBackend } from './queue-backend';

export class MissingJobHandlerError extends Error {
  override readonly name = 'MissingJobHandlerError';
}

/** Refuses to start when a job name has no handler, or a handler names no known job. */
export function assertHandlersComplete(handlers: Partial<Record<string, unknown>>): void {
  const given = Object.keys(handlers);
  const missing = JOB_NAMES.filter((name) => typeof handlers[name] !== 'function');
  const unknown = given.filter((name) => !(JOB_NAMES as string[]).includes(name));
  if (missing.length || unknown.length) {
    throw new MissingJobHandlerError(
      [missing.length && `no handler for ${missing.join(', ')}`, unknown.length && `handler for unknown job ${unknown.join(', ')}`]
        .filter(Boolean)
        .join('; '),
    );
  }
}

/** One BullMQ worker per queue, dispatching each job by name to its single handler. */
export class JobConsumer {
  private readonly workers: Worker<unknown, unknown, string>[] = [];

  constructor(
    private readonly backend: QueueBackend,
    private readonly handlers: JobHandlers,
    private readonly options: {
      concurrency: number;
      /** Per queue, e.g. exports run one at a time per process to bound memory. */
      queueConcurrency?: Partial<Record<QueueName, number>>;
      /** How long a job stays locked to a worker that stops renewing it (then it is taken over). */
      lockDurationMs?: number;
      /** Told of every run: for metrics. */
      onJobFinished?: (name: string, seconds: number, ok: boolean) => void;
    },
  ) {
    assertHandlersComplete(handlers);
  }

  async start(): Promise<void> {
    const queues = new Set<QueueName>(Object.values(JOB_QUEUES));
    for (const queue of queues) {
      const worker = this.backend.createWorker(queue, (job) => this.dispatch(job), {
        concurrency: this.options.queueConcurrency?.[queue] ?? this.options.concurrency,
        ...(this.options.lockDurationMs ? { lockDuration: this.options.lockDurationMs, stalledInterval: this.options.lockDurationMs } : {}),
      });
      this.workers.push(worker);
      void worker.run();
    }
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  get all(): readonly Worker<unknown, unknown, string>[] {
    return this.workers;
  }

  private async dispatch(job: Job<unknown, unknown, string>): Promise<unknown> {
    const name = job.name as JobName;
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      // Checked before the handler is looked up or run: a job from another version fails whole, once.
      const payload = checkedPayload(name, job.data, job.id ?? '');
      const handler = this.handlers[name] as (payload: unknown, context: JobContext) => Promise<unknown>;
      const result = await handler(payload, {
        jobId: job.id ?? '',
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
        reportProgress: (percent) => job.updateProgress(Math.max(0, Math.min(100, Math.round(percent)))),
      });
      this.options.onJobFinished?.(job.name, seconds(), true);
      return result;
    } catch (error) {
      this.options.onJobFinished?.(job.name, seconds(), false);
      throw error;
    }
  }

  /** Lets running jobs finish (BullMQ hands back what it cannot finish), then disconnects. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.workers.length = 0;
  }
}
