import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Attachment, AttachmentRepository, Transactions } from '@carnet/database';
import { assertEditable, DomainError, ErrorCode, notFound } from '@carnet/domain';
import type { AttachmentScanView, AttachmentView } from '@carnet/contracts';
import { JOB_PRODUCER, JobProducer, scanJobId } from '@carnet/queue';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { receiveUpload, sniffType, storeFile } from '../common/upload';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { TraceAccessService } from './trace-access.service';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export type { AttachmentScanView, AttachmentView };

export const attachmentView = (a: Attachment, scan?: AttachmentScanView): AttachmentView => ({
  id: a.id,
  filename: a.filename,
  size: a.size,
  sha256: a.sha256,
  mimeType: a.mimeType,
  createdAt: a.createdAt.toISOString(),
  ...(scan ? { scan } : {}),
});

const PENDING_SCAN: AttachmentScanView = { status: 'pending', warnings: [], reason: null, scannedAt: null, warningsSeenAt: null };

/**
 * Uploads stream to a temporary file (counted, hashed, sniffed on the way, never whole in
 * memory), then to the storage driver; the database row is written last, so a failure at any
 * step leaves no attachment behind that points at nothing.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly attachments: AttachmentRepository,
    private readonly transactions: Transactions,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly access: TraceAccessService,
    private readonly audit: AuditService,
    @Inject(JOB_PRODUCER) private readonly jobs: JobProducer,
  ) {}

  private readonly logger = new Logger(AttachmentsService.name);

  async upload(auth: AuthContext, traceId: string, request: FastifyRequest): Promise<AttachmentView> {
    const { trace, relation } = await this.access.load(undefined, auth, traceId);
    this.access.assertOwner(relation);
    assertEditable(trace, auth.userId);
    const received = await receiveUpload(request, { maxBytes: MAX_ATTACHMENT_BYTES, prefix: 'carnet-upload' });
    try {
      const mimeType = sniffType(received.head);
      if (!mimeType) {
        throw new DomainError(ErrorCode.UnsupportedMediaType, 'Seuls les fichiers PDF, PNG et JPEG sont acceptés (type reconnu d’après le contenu du fichier).');
      }
      const id = randomUUID();
      const storageKey = `attachments/${traceId}/${id}`;
      await storeFile(this.storage, storageKey, { path: received.file, size: received.size, mimeType });
      let view: AttachmentView;
      try {
        view = await this.transactions.run(async (tx) => {
          const locked = await this.access.load(tx, auth, traceId, true);
          assertEditable(locked.trace, auth.userId); // still editable after the upload
          const attachment = await this.attachments.insertWithPendingScan(
            {
              id,
              traceId,
              filename: received.filename,
              mimeType,
              size: received.size,
              sha256: received.sha256,
              storageKey,
              uploadedBy: auth.userId,
              createdAt: new Date(),
            },
            tx,
          );
          await this.audit.record(auth, { action: 'attachment.uploaded', subjectType: 'trace', subjectId: traceId, details: { attachmentId: id, sha256: received.sha256, size: received.size } }, tx);
          return attachmentView(attachment, PENDING_SCAN);
        });
      } catch (error) {
        await this.storage.delete(storageKey).catch(() => undefined);
        throw error;
      }
      // After the commit, so the worker finds the row; the upload never waits for the scan. A
      // queue that does not answer leaves the scan pending, enqueued again at the worker's start.
      await this.jobs.enqueue('attachment.scan', { attachmentId: id }, { jobId: scanJobId(id) }).catch((error: unknown) => {
        this.logger.warn(`attachment ${id}: scan not enqueued (${error instanceof Error ? error.message : String(error)}); the worker will pick it up at its start`);
      });
      return view;
    } finally {
      await fs.rm(received.file, { force: true });
    }
  }

  async download(auth: AuthContext, id: string): Promise<{ attachment: Attachment; redirect?: string; stream?: Readable }> {
    const attachment = await this.attachments.findById(id);
    if (!attachment) throw notFound('Pièce jointe');
    const relation = await this.access.relationTo(undefined, auth, attachment.traceId);
    this.access.assertReadsContent(relation);
    await this.audit.record(auth, { action: 'attachment.downloaded', subjectType: 'trace', subjectId: attachment.traceId, details: { attachmentId: id } });
    const redirect = await this.storage.signedUrl(attachment.storageKey, 300, attachment.filename);
    if (redirect) return { attachment, redirect };
    return { attachment, stream: await this.storage.get(attachment.storageKey) };
  }

  /** The scan of an attachment, for whoever reads the trace's content (the intern, their tutors, a sitting jury). */
  async scan(auth: AuthContext, id: string): Promise<AttachmentScanView> {
    const row = await this.attachments.scanOf(id);
    if (!row) throw notFound('Pièce jointe');
    this.access.assertReadsContent(await this.access.relationTo(undefined, auth, row.traceId));
    return row.scan ?? PENDING_SCAN;
  }

  /**
   * The intern was shown the scan's warnings: recorded once (the first time), with an audit
   * entry. Nothing is blocked either way: the intern decides whether to keep the file.
   */
  async markScanSeen(auth: AuthContext, id: string): Promise<void> {
    const attachment = await this.attachments.findById(id);
    if (!attachment) throw notFound('Pièce jointe');
    this.access.assertOwner(await this.access.relationTo(undefined, auth, attachment.traceId));
    await this.transactions.run(async (tx) => {
      const warnings = await this.attachments.markWarningsSeen(id, tx);
      if (warnings === null) return;
      await this.audit.record(auth, { action: 'attachment.scan_seen', subjectType: 'trace', subjectId: attachment.traceId, details: { attachmentId: id, warnings } }, tx);
    });
  }
}
