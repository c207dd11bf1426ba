import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { installTenancy } from './tenancy';

export function dataSourceOptions(databaseUrl: string, poolSize = 10, idleSeconds = 600): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // Failed queries surface as exceptions, logged once by whoever handles them.
    logging: false,
    // No JIT: it compiles a plan's expressions when its estimated cost is high, which a scoped
    // search over a few thousand candidate traces reaches, and compiling then costs about as
    // much as running the query. (The embedded PGlite has no JIT and ignores the option.)
    //
    // Idle connections are kept ten minutes by default (pg's own default closes them after ten
    // seconds): a new one makes its first requests pay for the backend's start, its catalog
    // caches and every statement prepared again — the first click after a pause (bench:pause).
    extra: { max: poolSize, connectionTimeoutMillis: 10_000, idleTimeoutMillis: idleSeconds * 1000, options: '-c jit=off' },
  };
}

export function createDataSource(databaseUrl: string, poolSize?: number): DataSource {
  return installTenancy(new DataSource(dataSourceOptions(databaseUrl, poolSize)));
}

/** Opens a data source and brings its schema up to date. */
export async function openDatabase(databaseUrl: string, poolSize?: number): Promise<DataSource> {
  const dataSource = createDataSource(databaseUrl, poolSize);
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

// The lock is held on one connection while runMigrations uses another: pools need two or more.
const MIGRATION_LOCK = 0x6361726e; // "carn": API replicas, workers and the CLI migrate one at a time

export async function migrate(dataSource: DataSource): Promise<void> {
  await underMigrationLock(dataSource, () => dataSource.runMigrations());
}

/** Runs `task` holding the migration lock: API replicas, workers and the CLI change the schema one at a time. */
async function underMigrationLock(dataSource: DataSource, task: () => Promise<unknown>): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // Polled, not waited for: a statement waiting on the lock holds a snapshot, which an index
    // built CONCURRENTLY by the process holding the lock would wait for in turn, forever.
    while (!(await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK]))[0].locked) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await task();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Reverts the last migration applied, in a transaction unless it declares it cannot run in one
 * (`transaction = false`: an index built or dropped CONCURRENTLY).
 */
export async function revertLastMigration(dataSource: DataSource): Promise<void> {
  await underMigrationLock(dataSource, async () => {
    const [{ table }] = await dataSource.query(`SELECT to_regclass('typeorm_migrations') AS table`);
    const [last] = table ? await dataSource.query(`SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1`) : [];
    if (!last) return; // nothing applied
    const migration = dataSource.migrations.find((m) => (m as { name?: string }).name === last.name);
    await dataSource.undoLastMigration({ transaction: migration?.transaction === false ? 'none' : 'all' });
  });
}

/** Whether the database at `databaseUrl` already holds Carnet's tables (a restore goes only into an empty one). */
export async function holdsCarnetData(databaseUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const existing = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'typeorm_migrations'`);
    return Boolean(existing.rowCount);
  } finally {
    await client.end();
  }
}
