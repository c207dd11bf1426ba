import 'reflect-metadata';
import path from 'node:path';
import { loadConfigOrExit } from '@carnet/config';
import { backup, restore } from './backup';

/**
 * npm run backup -- <directory>    everything (database + stored files) into a new directory
 * npm run restore -- <directory>   onto an empty system, after checking every file's SHA-256
 * Same configuration as the product: DATABASE_URL (or the embedded database), STORAGE_DRIVER, S3_*.
 */
async function main(command: string | undefined, directory: string | undefined): Promise<void> {
  if ((command !== 'backup' && command !== 'restore') || !directory) {
    throw new Error('usage: npm run backup -- <new directory> | npm run restore -- <backup directory>');
  }
  const config = loadConfigOrExit();
  const target = path.resolve(directory);
  const manifest = command === 'backup' ? await backup(config, target) : await restore(config, target);
  const bytes = [...manifest.database.files, ...manifest.storage.objects].reduce((sum, f) => sum + f.size, 0);
  process.stdout.write(
    `${command === 'backup' ? 'Backed up' : 'Restored'} ${manifest.database.kind} database (${manifest.database.files.length} file(s)) and ${manifest.storage.objects.length} stored object(s), ${(bytes / 1e6).toFixed(1)} MB ${command === 'backup' ? 'into' : 'from'} ${target}\n`,
  );
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
