import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An autosave changes no indexed column, so PostgreSQL writes it as a heap-only tuple (HOT): the
 * new row version goes on the same page and none of the trace's twelve indexes gets an entry,
 * where every save used to add one to each (three of them GIN, the search vector's with every
 * word of the text) and left as many for vacuum to remove.
 *
 * - `saved_at`, not indexed: when the trace was last saved, to the millisecond. The search
 *   indexer waits for a trace to rest by it.
 * - `updated_at` (indexed: the lists' order) moves with every change but an autosave within a
 *   minute of the last one: while an intern types, it moves once a minute.
 * - `fillfactor` 90: room on each page for the next version of its rows (new pages only; the
 *   pages written so far make room as vacuum and pruning free them).
 */
export class TraceSavedAt1764000041000 implements MigrationInterface {
  name = 'TraceSavedAt1764000041000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trace ADD COLUMN saved_at timestamptz`);
    await q.query(`ALTER TABLE trace SET (fillfactor = 90)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trace RESET (fillfactor)`);
    await q.query(`ALTER TABLE trace DROP COLUMN saved_at`);
  }
}
