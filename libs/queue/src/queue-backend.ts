import { ConnectionOptions, createPostgresBackend, Queue, Worker, withBackend } from 'bullmq';
import type { RedisOptions } from 'ioredis';

export interface QueueBackendConfig {
  /** BullMQ on Redis when set; otherwise BullMQ's PostgreSQL backend on `databaseUrl`. */
  redisUrl?: string;
  databaseUrl: string;
  /** Redis key prefix (Redis only: the PostgreSQL backend namespaces by schema). */
  prefix: string;
  /** Schema of BullMQ's tables on PostgreSQL. `public` on the embedded database (one shared session). */
  postgresSchema: string;
  /**
   * Whether a NOTIFY reaches the other connections (false on the embedded PGlite, whose
   * connections share one session). Without it, idle workers poll instead of waiting to be told.
   */
  notifications?: boolean;
}

/** How long an idle worker waits before looking again, when no NOTIFY can wake it. */
export const POLL_SECONDS = 1;

type AnyQueue = Queue<unknown, unknown, string>;
type AnyWorker = Worker<unknown, unknown, string>;
type Processor = ConstructorParameters<typeof Worker<unknown, unknown, string>>[1];

export interface QueueBackend {
  kind: 'redis' | 'postgres';
  createQueue(name: string): AnyQueue;
  createWorker(name: string, processor: Processor, options: { concurrency: number; lockDuration?: number; stalledInterval?: number }): AnyWorker;
}

export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null, // required by BullMQ workers
  };
}

export function createQueueBackend(config: QueueBackendConfig): QueueBackend {
  if (config.redisUrl) {
    const connection: ConnectionOptions = redisOptions(config.redisUrl);
    return {
      kind: 'redis',
      createQueue: (name) => new Queue(name, { connection, prefix: config.prefix }),
      createWorker: (name, processor, options) =>
        new Worker(name, processor, { connection, prefix: config.prefix, autorun: false, ...options }),
    };
  }
  const notified = config.notifications ?? true;
  const postgres = withBackend((...args: Parameters<typeof createPostgresBackend>) => {
    const backend = createPostgresBackend(...args);
    // An idle worker blocks until the next delayed job is due (a repeatable job: hours away),
    // trusting a NOTIFY to wake it for a new one. Where no NOTIFY arrives, it must look again
    // soon, or a queued export waits for the daily cleanup's turn.
    if (!notified) Object.defineProperty(backend, 'maximumBlockTimeout', { value: POLL_SECONDS });
    return backend;
  });
  const connection = {
    connectionString: config.databaseUrl,
    schema: config.postgresSchema,
    migrate: true,
    max: 4,
  };
  return {
    kind: 'postgres',
    createQueue: (name) => new postgres.Queue(name, { connection }) as unknown as AnyQueue,
    createWorker: (name, processor, options) =>
      new postgres.Worker(name, processor, {
        connection,
        autorun: false,
        // Where LISTEN/NOTIFY does not cross connections, an idle worker polls.
        ...(notified ? {} : { drainDelay: POLL_SECONDS }),
        ...options,
      }) as unknown as AnyWorker,
  };
}
