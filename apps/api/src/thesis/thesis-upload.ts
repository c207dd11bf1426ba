import busboy from 'busboy';
import type { FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError, ErrorCode } from '@carnet/domain';
import { mediaTypeOf } from '../common/media-type';
import { MAX_ATTACHMENT_BYTES, sniffType } from '../traces/attachments.service';

export interface ReceivedDocument {
  file: string;
  filename: string;
  size: number;
  sha256: string;
  mimeType: 'application/pdf' | 'image/png' | 'image/jpeg';
}

const safeFilename = (name: string) => (path.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f"]/g, '').trim() || 'document').slice(0, 255);

/**
 * A thesis document from a multipart request, on the attachments' terms (field `file`, PDF, PNG
 * or JPEG recognised by content, within the attachments' size limit): streamed to a temporary file, counted and
 * hashed on the way. The caller removes `file` once stored.
 */
export function receiveDocument(request: FastifyRequest): Promise<ReceivedDocument> {
  if (mediaTypeOf(request) !== 'multipart/form-data') {
    return Promise.reject(new DomainError(ErrorCode.UnsupportedMediaType, 'Envoyez le fichier en multipart/form-data, dans le champ « file ».'));
  }
  return new Promise<ReceivedDocument>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { files: 1, fileSize: MAX_ATTACHMENT_BYTES, fields: 5, fieldSize: 1024 } });
    } catch {
      reject(new DomainError(ErrorCode.InvalidInput, 'Requête multipart illisible.'));
      return;
    }
    let pending: Promise<ReceivedDocument> | undefined;
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || pending) {
        stream.resume();
        return;
      }
      const file = path.join(os.tmpdir(), `carnet-thesis-${randomUUID()}`);
      const hash = createHash('sha256');
      let head = Buffer.alloc(0);
      let size = 0;
      let truncated = false;
      stream.on('limit', () => (truncated = true));
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          hash.update(chunk);
          if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16)]);
          callback(null, chunk);
        },
      });
      pending = pipeline(stream, meter, createWriteStream(file)).then(async () => {
        const mimeType = sniffType(head);
        const refuse = async (error: DomainError) => {
          await fs.rm(file, { force: true });
          throw error;
        };
        if (truncated) return refuse(new DomainError(ErrorCode.TooLarge, 'Le fichier dépasse 10 Mo.'));
        if (size === 0) return refuse(new DomainError(ErrorCode.InvalidInput, 'Le fichier est vide.', [{ path: 'file', message: 'vide' }]));
        if (!mimeType) return refuse(new DomainError(ErrorCode.UnsupportedMediaType, 'Seuls les fichiers PDF, PNG et JPEG sont acceptés (type reconnu d’après le contenu du fichier).'));
        return { file, filename: safeFilename(info.filename ?? ''), size, sha256: hash.digest('hex'), mimeType };
      });
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
