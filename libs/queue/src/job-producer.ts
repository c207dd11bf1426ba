import type { Job, Queue } from 'bullmq';
import { JOB_QUEUES, JobName, JobPayloads, QUEUE_DEFAULTS, QueueName } from './jobs';
import { QueueBackend } from './queue-backend';

export interface EnqueueOptions {
  /** Deterministic id: retries and double clicks reuse the job instead of duplicating work. */
  jobId?: string;
  delay?: number;
  /** Overrides the queue's default retry delay (exponential). */
  backoff?: { type: 'exponential' | 'fixed'; delay: number };
}

/** The only way the API puts work on a queue: typed by job name. */
export class JobProducer {
  private readonly queues = new Map<QueueName, Queue<unknown, unknown, string>>();

  constructor(
    private readonly backend: QueueBackend,
    /** Connection errors (Redis down): reported here, and by the health check, rather than thrown. */
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  queue(name: QueueName): Queue<unknown, unknown, string> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = this.backend.createQueue(name);
      queue.on('error', this.onError);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<K extends JobName>(name: K, payload: JobPayloads[K], options: EnqueueOptions = {}): Promise<Job> {
    const queueName = JOB_QUEUES[name];
    return this.queue(queueName).add(name, payload, { ...QUEUE_DEFAULTS[queueName], ...options });
  }

  /** Many jobs of one name in one round trip (an import's invitations). */
  async enqueueMany<K extends JobName>(name: K, jobs: { payload: JobPayloads[K]; jobId?: string }[]): Promise<void> {
    const queueName = JOB_QUEUES[name];
    for (let i = 0; i < jobs.length; i += 500) {
      await this.queue(queueName).addBulk(
        jobs.slice(i, i + 500).map((job) => ({ name, data: job.payload, opts: { ...QUEUE_DEFAULTS[queueName], jobId: job.jobId } })),
      );
    }
  }

  /** Resolves when the queue backend answers (health check). */
  async ping(): Promise<void> {
    await this.queue(Object.values(JOB_QUEUES)[0]).getJobCounts('waiting');
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
