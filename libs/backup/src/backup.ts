import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { CarnetConfig, softwareVersion } from '@carnet/config';
import { holdsCarnetData } from '@carnet/database';
import { createStorageDriver, StorageDriver } from '@carnet/storage';

const run = promisify(execFile);

export interface BackupManifest {
  format: 'carnet-backup-1';
  createdAt: string;
  software: string;
  database: { kind: 'postgres' | 'embedded'; files: ManifestFile[] };
  storage: { driver: string; objects: (ManifestFile & { key: string; contentType?: string })[] };
}

interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

async function digest(file: string): Promise<ManifestFile> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return { path: file, size: (await fs.stat(file)).size, sha256: hash.digest('hex') };
}

const relative = (root: string, file: ManifestFile): ManifestFile => ({ ...file, path: path.relative(root, file.path) });

async function filesBelow(directory: string): Promise<string[]> {
  const entries = await fs.readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

/** The embedded database may be copied only while no process holds it. */
async function assertEmbeddedStopped(dataDir: string): Promise<void> {
  const lock = path.join(dataDir, 'pg.lock');
  const holder = Number((await fs.readFile(lock, 'utf8').catch(() => '')).trim());
  if (!holder) return;
  try {
    process.kill(holder, 0);
  } catch {
    return; // a lock left by a process that died
  }
  throw new BackupError(`The embedded database is in use by process ${holder}: stop Carnet (npm start) before backing it up or restoring it.`);
}

/**
 * Backs up everything into `out` (a new directory): the database (pg_dump's custom format, or
 * a copy of the embedded data directory taken while it is stopped), every stored object, and
 * `manifest.json` with the size and SHA-256 of each file.
 */
export async function backup(config: CarnetConfig, out: string, storage?: StorageDriver): Promise<BackupManifest> {
  await fs.mkdir(out, { recursive: false }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new BackupError(`${out} already exists: back up into a new directory.`);
    throw error;
  });
  const databaseFiles: ManifestFile[] = [];
  if (config.databaseUrl) {
    const dump = path.join(out, 'database.dump');
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${dump}`, `--dbname=${config.databaseUrl}`]);
    databaseFiles.push(relative(out, await digest(dump)));
  } else {
    await assertEmbeddedStopped(config.dataDir);
    const source = path.join(config.dataDir, 'pg');
    await fs.cp(source, path.join(out, 'pgdata'), { recursive: true });
    for (const file of await filesBelow(path.join(out, 'pgdata'))) databaseFiles.push(relative(out, await digest(file)));
  }

  const driver = storage ?? (await createStorageDriver(config.storage));
  const objects: BackupManifest['storage']['objects'] = [];
  for await (const key of driver.list()) {
    const target = path.join(out, 'objects', key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const stat = await driver.stat(key);
    await pipeline(await driver.get(key), createWriteStream(target));
    objects.push({ ...relative(out, await digest(target)), key, contentType: stat?.contentType });
  }
  const manifest: BackupManifest = {
    format: 'carnet-backup-1',
    createdAt: new Date().toISOString(),
    software: softwareVersion(),
    database: { kind: config.databaseUrl ? 'postgres' : 'embedded', files: databaseFiles },
    storage: { driver: driver.name, objects },
  };
  await fs.writeFile(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Checks every file of a backup against its manifest; returns the manifest. */
export async function verifyBackup(from: string): Promise<BackupManifest> {
  const manifest = JSON.parse(await fs.readFile(path.join(from, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.format !== 'carnet-backup-1') throw new BackupError(`Unknown backup format ${String(manifest.format)}`);
  for (const file of [...manifest.database.files, ...manifest.storage.objects]) {
    const actual = await digest(path.join(from, file.path)).catch(() => null);
    if (!actual || actual.sha256 !== file.sha256 || actual.size !== file.size) {
      throw new BackupError(`The backup is damaged: ${file.path} does not match its manifest.`);
    }
  }
  return manifest;
}

/**
 * Restores a backup onto an empty system (a database without Carnet's tables, an empty
 * embedded data directory, and storage), after checking every file against the manifest.
 */
export async function restore(config: CarnetConfig, from: string, storage?: StorageDriver): Promise<BackupManifest> {
  const manifest = await verifyBackup(from);
  if (manifest.database.kind === 'postgres') {
    if (!config.databaseUrl) throw new BackupError('This backup holds a PostgreSQL dump: set DATABASE_URL to the (empty) database to restore into.');
    if (await holdsCarnetData(config.databaseUrl)) throw new BackupError('The target database already holds Carnet data: restore into an empty database.');
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${config.databaseUrl}`, path.join(from, 'database.dump')]);
  } else {
    if (config.databaseUrl) throw new BackupError('This backup holds an embedded database: unset DATABASE_URL to restore it under DATA_DIR.');
    await assertEmbeddedStopped(config.dataDir);
    const target = path.join(config.dataDir, 'pg');
    if ((await fs.readdir(target).catch(() => [])).length) throw new BackupError(`${target} is not empty: restore onto an empty system.`);
    await fs.mkdir(config.dataDir, { recursive: true });
    await fs.cp(path.join(from, 'pgdata'), target, { recursive: true });
  }
  const driver = storage ?? (await createStorageDriver(config.storage));
  for (const object of manifest.storage.objects) {
    const file = path.join(from, object.path);
    await driver.put(object.key, createReadStream(file), object.size, object.contentType ?? 'application/octet-stream');
  }
  return manifest;
}
