import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '@carnet/database';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server, named so that parallel runs never collide. */
export async function createTestDatabase(server = process.env.TEST_DATABASE_URL!): Promise<TestDatabase> {
  const admin = server;
  const name = `carnet_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const dropper = new Client({ connectionString: admin });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** A Redis key prefix of its own for each test file. */
export function testQueuePrefix(): string {
  return `carnet-test-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** A fresh database, migrated, with a small data source on it: for tests whose Carnet runs in other processes. */
export type MigratedDatabase = TestDatabase & { dataSource: DataSource };

export async function createMigratedDatabase(): Promise<MigratedDatabase> {
  const database = await createTestDatabase();
  const dataSource = createDataSource(database.url, 2);
  await dataSource.initialize();
  await migrate(dataSource);
  return {
    ...database,
    dataSource,
    async drop() {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
