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
}

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
  const postgres = withBackend(createPostgresBackend);
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
        // The PostgreSQL backend finds idle jobs by polling on the embedded database, where
        // LISTEN/NOTIFY does not cross connections: keep the wait short.
        drainDelay: 1,
        ...options,
      }) as unknown as AnyWorker,
  };
}
