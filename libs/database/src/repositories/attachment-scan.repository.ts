import { Injectable } from '@nestjs/common';
import { Database } from './database';

/** What a scan found (`attachment_scan.warnings`), or why it could not be made. */
export type ScanOutcome = { status: 'done'; warnings: unknown[] } | { status: 'failed'; reason: string };

/** The attachments' scan rows, as the scan worker reads and records them. */
@Injectable()
export class AttachmentScanRepository {
  constructor(private readonly db: Database) {}

  /** The attachment's file, while its scan is pending; null when deleted with its trace, or already scanned. */
  async pendingFileOf(attachmentId: string): Promise<{ storage_key: string; mime_type: string } | null> {
    const [row] = await this.db.query<{ storage_key: string; mime_type: string }>(
      `SELECT a.storage_key, a.mime_type FROM attachment a JOIN attachment_scan s ON s.attachment_id = a.id
        WHERE a.id = $1 AND s.status = 'pending'`,
      [attachmentId],
    );
    return row ?? null;
  }

  /** The attachments whose scan is pending, oldest first. */
  async pendingAttachmentIds(): Promise<string[]> {
    const rows = await this.db.query<{ attachment_id: string }>(`SELECT attachment_id FROM attachment_scan WHERE status = 'pending' ORDER BY created_at`);
    return rows.map((row) => row.attachment_id);
  }

  /** Records the outcome on a scan still pending (a scan recorded is left alone). */
  async record(attachmentId: string, outcome: ScanOutcome): Promise<void> {
    await this.db.query(
      `UPDATE attachment_scan SET status = $2, warnings = $3::jsonb, failure_reason = $4, scanned_at = now()
        WHERE attachment_id = $1 AND status = 'pending'`,
      [attachmentId, outcome.status, JSON.stringify(outcome.status === 'done' ? outcome.warnings : []), outcome.status === 'failed' ? outcome.reason : null],
    );
  }
}
