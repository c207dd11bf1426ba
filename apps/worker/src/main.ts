import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '@carnet/config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.databaseUrl) {
    process.stderr.write(
      'Invalid configuration: DATABASE_URL is required to run the worker alone (npm start runs it on the embedded database)\n',
    );
    process.exit(78);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ ...config, databaseUrl: config.databaseUrl }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  // SIGTERM: BullMQ lets the running jobs finish (or hands them back as stalled) before exit.
  app.enableShutdownHooks();
  await app.init();
}

main().catch((error: unknown) => {
  process.stderr.write(`Carnet worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
