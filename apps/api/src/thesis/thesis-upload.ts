import type { FastifyRequest } from 'fastify';
import fs from 'node:fs/promises';
import { DomainError, ErrorCode } from '@carnet/domain';
import { receiveUpload, sniffType } from '../common/upload';
import { MAX_ATTACHMENT_BYTES } from '../traces/attachments.service';

export interface ReceivedDocument {
  file: string;
  filename: string;
  size: number;
  sha256: string;
  mimeType: 'application/pdf' | 'image/png' | 'image/jpeg';
}

/**
 * A document from a multipart request (a thesis step's, a justified absence's), on the
 * attachments' terms: field `file`, PDF, PNG or JPEG recognised by content, within the
 * attachments' size limit. The caller removes `file` once stored.
 */
export async function receiveDocument(request: FastifyRequest): Promise<ReceivedDocument> {
  const received = await receiveUpload(request, { maxBytes: MAX_ATTACHMENT_BYTES, prefix: 'carnet-thesis', fallbackName: 'document' });
  const mimeType = sniffType(received.head);
  if (!mimeType) {
    await fs.rm(received.file, { force: true });
    throw new DomainError(ErrorCode.UnsupportedMediaType, 'Seuls les fichiers PDF, PNG et JPEG sont acceptés (type reconnu d’après le contenu du fichier).');
  }
  return { file: received.file, filename: received.filename, size: received.size, sha256: received.sha256, mimeType };
}
