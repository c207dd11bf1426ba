import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScopedSearch1764000009000 implements MigrationInterface {
  name = 'ScopedSearch1764000009000';

  async up(q: QueryRunner): Promise<void> {
    // Trace search is always scoped to what the caller may read (their own traces, their
    // tutees', a jury session's): a few thousand rows found by intern, then filtered. The
    // global GIN index never served it well (with a common word, the planner intersected half a
    // million index entries with the scope: 75 ms) and cost every autosave an index update.
    await q.query(`DROP INDEX trace_search_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX trace_search_idx ON trace USING gin (search)`);
  }
}
