import 'reflect-metadata';
import { loadConfigOrExit } from '@carnet/config';
import { startEmbeddedPostgres } from './embedded-postgres';
import { createDataSource, migrate, revertLastMigration } from './data-source';
import { DEMO_PASSWORD, seedDemo } from './seeds/demo.seed';

/** `npm run migration:run` / `migration:revert` / `seed:demo`, on DATABASE_URL or the embedded database. */
async function main(command: string | undefined): Promise<void> {
  const config = loadConfigOrExit();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const dataSource = createDataSource(config.databaseUrl ?? embedded!.url, 2);
  await dataSource.initialize();
  try {
    switch (command) {
      case 'migrate':
        await migrate(dataSource);
        process.stdout.write('Migrations applied.\n');
        break;
      case 'revert':
        await revertLastMigration(dataSource);
        process.stdout.write('Last migration reverted.\n');
        break;
      case 'seed-demo': {
        await migrate(dataSource);
        const logins = await seedDemo(dataSource);
        process.stdout.write(`Demo DUMG ready. Every demo account uses the password "${DEMO_PASSWORD}":\n`);
        for (const login of logins) process.stdout.write(`  ${login.email.padEnd(36)} ${login.role}\n`);
        break;
      }
      default:
        throw new Error(`unknown command ${command ?? '(none)'}: use migrate, revert or seed-demo`);
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
