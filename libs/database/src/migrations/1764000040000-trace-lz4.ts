import { MigrationInterface, QueryRunner } from 'typeorm';

/** The trace columns every autosave rewrites, and the vector the worker rewrites after it. */
const COLUMNS = ['content', 'content_text', 'search'];

/**
 * A trace's content, its plain text and its search vector are compressed with LZ4 instead of
 * PostgreSQL's default, pglz. An autosave rewrites the content and the plain text whole, and
 * PostgreSQL compresses every value over 2 KB as it stores it: pglz's compression was the largest
 * part of the database's work per save (docs/benchmarks.md, issue 28). LZ4 compresses and decompresses several times faster, at a
 * ratio as good on this text.
 *
 * Only where the server was built with LZ4 (every packaged PostgreSQL from 14 on; not PGlite, the
 * embedded run, which keeps pglz). Values already stored keep their compression until next
 * written: nothing is rewritten here.
 */
export class TraceLz41764000040000 implements MigrationInterface {
  name = 'TraceLz41764000040000';

  async up(q: QueryRunner): Promise<void> {
    if (!(await lz4Available(q))) return;
    await q.query(`ALTER TABLE trace ${COLUMNS.map((column) => `ALTER COLUMN ${column} SET COMPRESSION lz4`).join(', ')}`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (!(await lz4Available(q))) return;
    await q.query(`ALTER TABLE trace ${COLUMNS.map((column) => `ALTER COLUMN ${column} SET COMPRESSION default`).join(', ')}`);
  }
}

async function lz4Available(q: QueryRunner): Promise<boolean> {
  const rows: unknown[] = await q.query(`SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)`);
  return rows.length > 0;
}
