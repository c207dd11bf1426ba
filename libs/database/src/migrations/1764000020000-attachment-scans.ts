import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The worker's scan of each attachment for patient identifiers (a PDF's text, OCR of images and
 * scanned pages): pending until the worker has read the file, then done with the warnings it
 * found (kind, excerpt, message, page) or failed with a French reason (a corrupt PDF). Nothing
 * is blocked by it: the intern is shown the warnings and decides, and `warnings_seen_at` records
 * when. Attachments uploaded before scans existed get a pending row, which the worker picks up
 * at its next start.
 */
export class AttachmentScans1764000020000 implements MigrationInterface {
  name = 'AttachmentScans1764000020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachment_scan (
        attachment_id    uuid PRIMARY KEY REFERENCES attachment (id) ON DELETE CASCADE,
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        warnings         jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(warnings) = 'array'),
        failure_reason   text,
        scanned_at       timestamptz,
        warnings_seen_at timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'pending') = (scanned_at IS NULL)),
        CHECK ((status = 'failed') = (failure_reason IS NOT NULL))
      )`);
    // The worker's start looks for scans still to run.
    await q.query(`CREATE INDEX attachment_scan_pending_idx ON attachment_scan (created_at) WHERE status = 'pending'`);
    await q.query(`INSERT INTO attachment_scan (attachment_id, created_at) SELECT id, created_at FROM attachment`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachment_scan`);
  }
}
