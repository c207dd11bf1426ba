import { Readable } from 'node:stream';

export interface StoredObject {
  size: number;
  contentType?: string;
}

/**
 * Where attachments and exports live. Keys are relative, slash-separated paths made by the
 * application (e.g. `attachments/<traceId>/<id>`), never by a user.
 */
export interface StorageDriver {
  readonly name: 'local' | 's3';
  /** Streams `body` to `key`; the object appears whole or not at all. */
  put(key: string, body: Readable, size: number, contentType: string): Promise<void>;
  get(key: string): Promise<Readable>;
  /** `null` when there is no object at `key`. */
  stat(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
  /** Every key under `prefix` (all keys when empty), for backups. */
  list(prefix?: string): AsyncIterable<string>;
  /** A short-lived URL the browser may fetch directly, or `null` when the driver has none. */
  signedUrl(key: string, expiresInSeconds: number, downloadName?: string): Promise<string | null>;
  /** Resolves when the storage is reachable and writable (for health checks and start-up). */
  check(): Promise<void>;
}

export class ObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`No stored object at ${key}`);
  }
}

export class InvalidObjectKeyError extends Error {
  override readonly name = 'InvalidObjectKeyError';
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Keys are checked by both drivers, so a `..` or an absolute path never reaches the disk or the bucket. */
export function assertValidKey(key: string): void {
  if (key.length > 512 || !KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) {
    throw new InvalidObjectKeyError(`Invalid storage key: ${JSON.stringify(key)}`);
  }
}
