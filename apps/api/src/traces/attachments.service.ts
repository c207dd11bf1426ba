import { Inject, Injectable } from '@nestjs/common';
import { mediaTypeOf } from '../common/media-type';
import { InjectDataSource } from '@nestjs/typeorm';
import busboy from 'busboy';
import type { FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { Attachment } from '@carnet/database';
import { assertEditable, DomainError, ErrorCode, notFound } from '@carnet/domain';
import type { AttachmentView } from '@carnet/contracts';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { TraceAccessService } from './trace-access.service';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export type { AttachmentView };

export const attachmentView = (a: Attachment): AttachmentView => ({
  id: a.id,
  filename: a.filename,
  size: a.size,
  sha256: a.sha256,
  mimeType: a.mimeType,
  createdAt: a.createdAt.toISOString(),
});

/** PDF, PNG and JPEG, recognised by their first bytes, never by the file's name. */
export function sniffType(head: Buffer): 'application/pdf' | 'image/png' | 'image/jpeg' | null {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  return null;
}

function safeFilename(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (base || 'piece-jointe').slice(0, 255);
}

interface Received {
  file: string;
  filename: string;
  size: number;
  sha256: string;
  head: Buffer;
}

/**
 * Uploads stream to a temporary file (counted, hashed, sniffed on the way, never whole in
 * memory), then to the storage driver; the database row is written last, so a failure at any
 * step leaves no attachment behind that points at nothing.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly access: TraceAccessService,
    private readonly audit: AuditService,
  ) {}

  async upload(auth: AuthContext, traceId: string, request: FastifyRequest): Promise<AttachmentView> {
    const { trace, relation } = await this.access.load(this.dataSource.manager, auth, traceId);
    this.access.assertOwner(relation);
    assertEditable(trace, auth.userId);
    if (mediaTypeOf(request) !== 'multipart/form-data') {
      throw new DomainError(ErrorCode.UnsupportedMediaType, 'Envoyez le fichier en multipart/form-data, dans le champ « file ».');
    }
    const received = await this.receive(request);
    try {
      const mimeType = sniffType(received.head);
      if (!mimeType) {
        throw new DomainError(ErrorCode.UnsupportedMediaType, 'Seuls les fichiers PDF, PNG et JPEG sont acceptés (type reconnu d’après le contenu du fichier).');
      }
      const id = randomUUID();
      const storageKey = `attachments/${traceId}/${id}`;
      await this.storage.put(storageKey, createReadStream(received.file), received.size, mimeType).catch(async (error: unknown) => {
        await this.storage.delete(storageKey).catch(() => undefined);
        throw new DomainError(ErrorCode.StorageUnavailable, `Le stockage des fichiers est indisponible : réessayez dans un moment.`, undefined, error);
      });
      try {
        return await this.dataSource.transaction(async (manager) => {
          const locked = await this.access.load(manager, auth, traceId, true);
          assertEditable(locked.trace, auth.userId); // still editable after the upload
          const attachment = manager.create(Attachment, {
            id,
            traceId,
            filename: received.filename,
            mimeType,
            size: received.size,
            sha256: received.sha256,
            storageKey,
            uploadedBy: auth.userId,
            createdAt: new Date(),
          });
          await manager.insert(Attachment, attachment);
          await this.audit.record(auth, { action: 'attachment.uploaded', subjectType: 'trace', subjectId: traceId, details: { attachmentId: id, sha256: received.sha256, size: received.size } }, manager);
          return attachmentView(attachment);
        });
      } catch (error) {
        await this.storage.delete(storageKey).catch(() => undefined);
        throw error;
      }
    } finally {
      await fs.rm(received.file, { force: true });
    }
  }

  async download(auth: AuthContext, id: string): Promise<{ attachment: Attachment; redirect?: string; stream?: Readable }> {
    const attachment = await this.dataSource.getRepository(Attachment).findOneBy({ id });
    if (!attachment) throw notFound('Pièce jointe');
    const relation = await this.access.relationTo(this.dataSource.manager, auth, attachment.traceId);
    this.access.assertReadsContent(relation);
    await this.audit.record(auth, { action: 'attachment.downloaded', subjectType: 'trace', subjectId: attachment.traceId, details: { attachmentId: id } });
    const redirect = await this.storage.signedUrl(attachment.storageKey, 300, attachment.filename);
    if (redirect) return { attachment, redirect };
    return { attachment, stream: await this.storage.get(attachment.storageKey) };
  }

  private receive(request: FastifyRequest): Promise<Received> {
    return new Promise<Received>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: request.headers, limits: { files: 1, fileSize: MAX_ATTACHMENT_BYTES, fields: 5, fieldSize: 1024 } });
      } catch {
        reject(new DomainError(ErrorCode.InvalidInput, 'Requête multipart illisible.'));
        return;
      }
      let pending: Promise<Received> | undefined;
      let failed: unknown;
      parser.on('file', (field, stream, info) => {
        if (field !== 'file' || pending) {
          stream.resume();
          return;
        }
        const file = path.join(os.tmpdir(), `carnet-upload-${randomUUID()}`);
        const hash = createHash('sha256');
        const head: Buffer[] = [];
        let size = 0;
        let truncated = false;
        stream.on('limit', () => (truncated = true));
        const meter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            size += chunk.length;
            hash.update(chunk);
            if (head.reduce((n, b) => n + b.length, 0) < 16) head.push(chunk.subarray(0, 16));
            callback(null, chunk);
          },
        });
        pending = pipeline(stream, meter, createWriteStream(file)).then(async () => {
          if (truncated) {
            await fs.rm(file, { force: true });
            throw new DomainError(ErrorCode.TooLarge, 'Le fichier dépasse 10 Mo.');
          }
          if (size === 0) {
            await fs.rm(file, { force: true });
            throw new DomainError(ErrorCode.InvalidInput, 'Le fichier est vide.', [{ path: 'file', message: 'vide' }]);
          }
          return { file, filename: safeFilename(info.filename ?? ''), size, sha256: hash.digest('hex'), head: Buffer.concat(head).subarray(0, 16) };
        });
        pending.catch((error: unknown) => (failed = error));
      });
      parser.on('error', () => reject(new DomainError(ErrorCode.InvalidInput, 'Requête multipart illisible.')));
      parser.on('close', () => {
        if (!pending) reject(new DomainError(ErrorCode.InvalidInput, 'Aucun fichier reçu dans le champ « file ».', [{ path: 'file', message: 'requis' }]));
        else pending.then(resolve, reject);
        void failed;
      });
      request.raw.pipe(parser);
    });
  }
}
