import busboy from 'busboy';
import type { FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError, ErrorCode } from '@carnet/domain';
import type { StorageDriver } from '@carnet/storage';
import { mediaTypeOf } from './media-type';

/** A file of a multipart request, spooled to a temporary file that the caller removes once stored. */
export interface SpooledUpload {
  file: string;
  /** The name the client gave, cleaned (`safeFilename`). */
  filename: string;
  size: number;
  sha256: string;
  /** The first 16 bytes, to recognise the type by content. */
  head: Buffer;
}

/** PDF, PNG and JPEG, recognised by their first bytes, never by the file's name. */
export function sniffType(head: Buffer): 'application/pdf' | 'image/png' | 'image/jpeg' | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  return null;
}

/** A file's name as shown and sent back: no folder, no control, quote or bidirectional character (« gpj.pdf » reversed), 255 characters at most. */
export function safeFilename(name: string, fallback = 'piece-jointe'): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f-\u009f"\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return (base || fallback).slice(0, 255);
}

const sizeWords = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} Mo`;

/**
 * The one file of field `file` of a multipart request, streamed to a temporary file (counted,
 * hashed and its head kept on the way, never whole in memory). Refused in French: another media
 * type (415), no file, an empty one (422), one over `maxBytes` (413). An upload the client cuts
 * off midway is refused too, and what was written of it removed: busboy alone would wait for the
 * rest for ever, and the file stay on disk.
 */
export function receiveUpload(
  request: FastifyRequest,
  options: { maxBytes: number; prefix: string; fallbackName?: string; /** The folder to spool to; the system's temporary folder else. */ dir?: string; /** What it is, in « … dépasse N Mo » (« Le fichier »). */ noun?: string },
): Promise<SpooledUpload> {
  if (mediaTypeOf(request) !== 'multipart/form-data') {
    return Promise.reject(new DomainError(ErrorCode.UnsupportedMediaType, 'Envoyez le fichier en multipart/form-data, dans le champ « file ».'));
  }
  return new Promise<SpooledUpload>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { files: 1, fileSize: options.maxBytes, fields: 5, fieldSize: 1024 } });
    } catch {
      reject(new DomainError(ErrorCode.InvalidInput, 'Requête multipart illisible.'));
      return;
    }
    let pending: Promise<SpooledUpload> | undefined;
    let upload: NodeJS.ReadableStream & { destroy(error?: Error): void } | undefined;
    const cutOff = () => {
      if (request.raw.complete) return;
      const error = new DomainError(ErrorCode.InvalidInput, 'L’envoi du fichier a été interrompu.', [{ path: 'file', message: 'envoi interrompu' }]);
      request.raw.unpipe(parser);
      upload?.destroy(error); // the pipeline below fails, and removes the file
      reject(error);
    };
    request.raw.once('aborted', cutOff);
    request.raw.once('close', cutOff);
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || pending) {
        stream.resume();
        return;
      }
      upload = stream;
      const file = path.join(options.dir ?? os.tmpdir(), `${options.prefix}-${randomUUID()}`);
      const hash = createHash('sha256');
      let head = Buffer.alloc(0);
      let size = 0;
      let truncated = false;
      stream.on('limit', () => (truncated = true));
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          hash.update(chunk);
          if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
          callback(null, chunk);
        },
      });
      const refuse = async (error: unknown): Promise<never> => {
        await fs.rm(file, { force: true });
        throw error;
      };
      pending = pipeline(stream, meter, createWriteStream(file)).then(async () => {
        if (truncated) return refuse(new DomainError(ErrorCode.TooLarge, `${options.noun ?? 'Le fichier'} dépasse ${sizeWords(options.maxBytes)}.`));
        if (size === 0) return refuse(new DomainError(ErrorCode.InvalidInput, 'Le fichier est vide.', [{ path: 'file', message: 'vide' }]));
        return { file, filename: safeFilename(info.filename ?? '', options.fallbackName), size, sha256: hash.digest('hex'), head };
      }, refuse);
      pending.catch(() => undefined);
    });
    parser.on('error', () => reject(new DomainError(ErrorCode.InvalidInput, 'Requête multipart illisible.')));
    parser.on('close', () => {
      if (!pending) reject(new DomainError(ErrorCode.InvalidInput, 'Aucun fichier reçu dans le champ « file ».', [{ path: 'file', message: 'requis' }]));
      else pending.then(resolve, reject);
    });
    request.raw.pipe(parser);
  });
}

/**
 * Stores a received or extracted file under `key`. A storage failure removes what may have been
 * partly written and is the API's 503, in French: the caller has saved nothing yet.
 */
export async function storeFile(storage: StorageDriver, key: string, file: { path: string; size: number; mimeType: string }): Promise<void> {
  await storage.put(key, createReadStream(file.path), file.size, file.mimeType).catch(async (error: unknown) => {
    await storage.delete(key).catch(() => undefined);
    throw new DomainError(ErrorCode.StorageUnavailable, 'Le stockage des fichiers est indisponible : réessayez dans un moment.', undefined, error);
  });
}
