import 'reflect-metadata';
import { loadConfigOrExit } from '@carnet/config';
import { EMBEDDED_ENV, startEmbeddedPostgres } from '@carnet/database';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // Alone and without DATABASE_URL, the API opens the embedded database itself
  // (`npm start` starts it once for both the API and the worker instead).
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const resolved = embedded
    ? { ...loadConfigOrExit({ ...process.env, ...EMBEDDED_ENV }), databaseUrl: embedded.url }
    : { ...config, databaseUrl: config.databaseUrl! };
  const app = await createApiApp(resolved);
  if (embedded) process.once('exit', () => void embedded.stop());
  await app.listen(config.http.port, config.http.host);
  process.stdout.write(`Carnet API listening on ${config.http.publicUrl}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Carnet API failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
