import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { AttachmentScanView } from '@carnet/contracts';
import { Attachment } from '../entities';
import { isoSql } from '../sql/sql-params';
import { Database, Tx } from './database';

/** An attachment's scan as JSON, for the attachment `a` (SQL alias) of a read: traces' reads embed it too. */
export const attachmentScanSql = (a: string) => `(SELECT json_build_object('status', s.status, 'warnings', s.warnings, 'reason', s.failure_reason,
    'scannedAt', ${isoSql('s.scanned_at')}, 'warningsSeenAt', ${isoSql('s.warnings_seen_at')}) FROM attachment_scan s WHERE s.attachment_id = ${a}.id)`;

/** A new attachment's row, as the upload has it once its file is stored. */
export type NewAttachment = Pick<Attachment, 'id' | 'traceId' | 'filename' | 'mimeType' | 'size' | 'sha256' | 'storageKey' | 'uploadedBy' | 'createdAt'>;

/** A trace's attachments: their rows and their scans (the scan's own work is the worker's). */
@Injectable()
export class AttachmentRepository {
  constructor(private readonly db: Database) {}

  findById(id: string, tx?: Tx): Promise<Attachment | null> {
    return this.db.manager(tx).getRepository(Attachment).findOneBy({ id });
  }

  /** The traces' attachments, oldest first (an export's files, a deletion's storage keys). */
  ofTraces(traceIds: string[], tx?: Tx): Promise<Attachment[]> {
    return traceIds.length ? this.db.manager(tx).find(Attachment, { where: { traceId: In(traceIds) }, order: { createdAt: 'ASC' } }) : Promise.resolve([]);
  }

  /** Saves the attachment and its scan, pending: the worker scans it once committed. */
  async insertWithPendingScan(fields: NewAttachment, tx?: Tx): Promise<Attachment> {
    const manager = this.db.manager(tx);
    const attachment = manager.create(Attachment, fields);
    await manager.insert(Attachment, attachment);
    await this.db.query(`INSERT INTO attachment_scan (attachment_id) VALUES ($1)`, [fields.id], tx);
    return attachment;
  }

  /** The attachment's trace and its scan (null while no scan row exists), or undefined: no such attachment. */
  async scanOf(id: string, tx?: Tx): Promise<{ traceId: string; scan: AttachmentScanView | null } | undefined> {
    const [row] = await this.db.query<{ trace_id: string; scan: AttachmentScanView | null }>(
      `SELECT a.trace_id, ${attachmentScanSql('a')} AS scan FROM attachment a WHERE a.id = $1`,
      [id],
      tx,
    );
    return row && { traceId: row.trace_id, scan: row.scan };
  }

  /** Records, the first time only, that the scan's warnings were shown: their number, or null when already recorded. */
  async markWarningsSeen(id: string, tx?: Tx): Promise<number | null> {
    const seen = await this.db.query<{ warnings: number }>(
      `WITH seen AS (UPDATE attachment_scan SET warnings_seen_at = now() WHERE attachment_id = $1 AND warnings_seen_at IS NULL RETURNING warnings)
         SELECT jsonb_array_length(warnings) AS warnings FROM seen`,
      [id],
      tx,
    );
    return seen.length ? seen[0].warnings : null;
  }
}
