import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { assertValidKey, ObjectNotFoundError, StorageDriver, StoredObject } from './storage-driver.interface';

/** Objects as files under one root directory. Writes go to a temporary file, then rename. */
export class LocalDriver implements StorageDriver {
  readonly name = 'local' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    const full = path.resolve(this.root, key);
    // assertValidKey already refuses traversal; this is the belt to its braces.
    if (!full.startsWith(this.root + path.sep)) throw new ObjectNotFoundError(key);
    return full;
  }

  async put(key: string, body: Readable, size: number, contentType: string): Promise<void> {
    const target = this.pathOf(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.part`);
    const out = createWriteStream(temporary, { flags: 'wx' });
    try {
      await pipeline(body, out);
      const written = (await fs.stat(temporary)).size;
      if (written !== size) throw new Error(`Expected ${size} bytes for ${key}, received ${written}`);
      await fs.writeFile(`${temporary}.type`, contentType);
      await fs.rename(`${temporary}.type`, `${target}.type`);
      await fs.rename(temporary, target);
    } catch (error) {
      // A source that fails at once can beat the file's opening: removing it before the stream has
      // closed would leave the file it then creates (seen on a loaded machine).
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
      await fs.rm(temporary, { force: true });
      await fs.rm(`${temporary}.type`, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    try {
      const handle = await fs.open(file, 'r');
      return handle.createReadStream(); // closes the handle when done
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async stat(key: string): Promise<StoredObject | null> {
    const file = this.pathOf(key);
    try {
      const stats = await fs.stat(file);
      const contentType = await fs.readFile(`${file}.type`, 'utf8').catch(() => undefined);
      return { size: stats.size, contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    await fs.rm(file, { force: true });
    await fs.rm(`${file}.type`, { force: true });
  }

  async *list(prefix = ''): AsyncIterable<string> {
    const walk = async function* (directory: string, relative: string): AsyncIterable<string> {
      const entries = await fs.readdir(directory, { withFileTypes: true }).catch(() => []);
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const key = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) yield* walk(path.join(directory, entry.name), key);
        // Content types sit beside objects; temporary files are uploads in progress.
        else if (!entry.name.endsWith('.type') && !entry.name.endsWith('.part') && !entry.name.startsWith('.')) yield key;
      }
    };
    for await (const key of walk(this.root, '')) if (key.startsWith(prefix)) yield key;
  }

  async signedUrl(): Promise<string | null> {
    return null; // files are streamed through the API
  }

  async check(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    await fs.access(this.root, fs.constants.W_OK);
  }
}
