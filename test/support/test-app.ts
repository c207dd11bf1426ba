import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { loadConfig } from '@carnet/config';
import type { ResolvedConfig } from '@carnet/infrastructure';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestDatabase, TestDatabase, testQueuePrefix } from './database';

export interface TestApp {
  app: NestFastifyApplication;
  /** The worker, on the same configuration, when started with `{ worker: true }`. */
  worker?: INestApplicationContext;
  http: TestAgent;
  dataSource: DataSource;
  config: ResolvedConfig;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real API on a database of its own, Redis under a prefix of its own, local storage in a
 * temporary directory. `env` overrides any variable, as an operator would.
 */
export async function startTestApp(env: Record<string, string> = {}, options: { worker?: boolean; database?: string } = {}): Promise<TestApp> {
  const database = await createTestDatabase(options.database);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-test-'));
  const config = testConfig(database.url, dataDir, env);
  let app: NestFastifyApplication | undefined;
  let worker: INestApplicationContext | undefined;
  try {
    app = await createApiApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    if (options.worker) {
      worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
      await worker.init();
    }
  } catch (error) {
    await worker?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await database.drop();
    throw error;
  }
  const started = app;
  const testApp: TestApp = {
    app: started,
    worker,
    http: request(started.getHttpServer()),
    dataSource: started.get<DataSource>(getDataSourceToken()),
    config,
    database,
    async close() {
      await testApp.worker?.close();
      await started.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return testApp;
}

export function testConfig(databaseUrl: string, dataDir: string, env: Record<string, string> = {}): ResolvedConfig {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL,
    QUEUE_PREFIX: testQueuePrefix(),
    DATA_DIR: dataDir,
    METRICS_PORT: '0',
    ...env,
  });
  return { ...config, databaseUrl: config.databaseUrl ?? databaseUrl };
}
