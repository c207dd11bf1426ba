import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { Attachment } from '@carnet/database';
import { assertEditable, DomainError, ErrorCode, notFound } from '@carnet/domain';
import type { AttachmentScanView, AttachmentView } from '@carnet/contracts';
import { JOB_PRODUCER, JobProducer, scanJobId } from '@carnet/queue';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { isoSql } from '@carnet/database';
import { receiveUpload, sniffType } from '../common/upload';
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

/** An attachment's scan as JSON, for the attachment `a` (SQL alias) of a read: traces' reads embed it too. */
export const attachmentScanSql = (a: string) => `(SELECT json_build_object('status', s.status, 'warnings', s.warnings, 'reason', s.failure_reason,
    'scannedAt', ${isoSql('s.scanned_at')}, 'warningsSeenAt', ${isoSql('s.warnings_seen_at')}) FROM attachment_scan s WHERE s.attachment_id = ${a}.id)`;


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
    @Inject(JOB_PRODUCER) private readonly jobs: JobProducer,
  ) {}

  private readonly logger = new Logger(AttachmentsService.name);

  async upload(auth: AuthContext, traceId: string, request: FastifyRequest): Promise<AttachmentView> {
    const { trace, relation } = await this.access.load(this.dataSource.manager, auth, traceId);
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
      await this.storage.put(storageKey, createReadStream(received.file), received.size, mimeType).catch(async (error: unknown) => {
        await this.storage.delete(storageKey).catch(() => undefined);
        throw new DomainError(ErrorCode.StorageUnavailable, `Le stockage des fichiers est indisponible : réessayez dans un moment.`, undefined, error);
      });
      let view: AttachmentView;
      try {
        view = await this.dataSource.transaction(async (manager) => {
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
          await manager.query(`INSERT INTO attachment_scan (attachment_id) VALUES ($1)`, [id]);
          await this.audit.record(auth, { action: 'attachment.uploaded', subjectType: 'trace', subjectId: traceId, details: { attachmentId: id, sha256: received.sha256, size: received.size } }, manager);
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
    const attachment = await this.dataSource.getRepository(Attachment).findOneBy({ id });
    if (!attachment) throw notFound('Pièce jointe');
    const relation = await this.access.relationTo(this.dataSource.manager, auth, attachment.traceId);
    this.access.assertReadsContent(relation);
    await this.audit.record(auth, { action: 'attachment.downloaded', subjectType: 'trace', subjectId: attachment.traceId, details: { attachmentId: id } });
    const redirect = await this.storage.signedUrl(attachment.storageKey, 300, attachment.filename);
    if (redirect) return { attachment, redirect };
    return { attachment, stream: await this.storage.get(attachment.storageKey) };
  }

  /** The scan of an attachment, for whoever reads the trace's content (the intern, their tutors, a sitting jury). */
  async scan(auth: AuthContext, id: string): Promise<AttachmentScanView> {
    const [row]: { trace_id: string; scan: AttachmentScanView }[] = await this.dataSource.query(
      `SELECT a.trace_id, ${attachmentScanSql('a')} AS scan FROM attachment a WHERE a.id = $1`,
      [id],
    );
    if (!row) throw notFound('Pièce jointe');
    this.access.assertReadsContent(await this.access.relationTo(this.dataSource.manager, auth, row.trace_id));
    return row.scan ?? PENDING_SCAN;
  }

  /**
   * The intern was shown the scan's warnings: recorded once (the first time), with an audit
   * entry. Nothing is blocked either way: the intern decides whether to keep the file.
   */
  async markScanSeen(auth: AuthContext, id: string): Promise<void> {
    const attachment = await this.dataSource.getRepository(Attachment).findOneBy({ id });
    if (!attachment) throw notFound('Pièce jointe');
    this.access.assertOwner(await this.access.relationTo(this.dataSource.manager, auth, attachment.traceId));
    await this.dataSource.transaction(async (manager) => {
      const seen: { warnings: number }[] = await manager.query(
        `WITH seen AS (UPDATE attachment_scan SET warnings_seen_at = now() WHERE attachment_id = $1 AND warnings_seen_at IS NULL RETURNING warnings)
         SELECT jsonb_array_length(warnings) AS warnings FROM seen`,
        [id],
      );
      if (!seen.length) return;
      await this.audit.record(auth, { action: 'attachment.scan_seen', subjectType: 'trace', subjectId: attachment.traceId, details: { attachmentId: id, warnings: seen[0].warnings } }, manager);
    });
  }
}
