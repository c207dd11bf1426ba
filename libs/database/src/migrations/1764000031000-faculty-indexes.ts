import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin's lists in a deployment of several faculties: every statement of a request now
 * carries the policy's `faculty_id = carnet_faculty()` (ADR 0007), so the indexes the lists
 * walk in their order lead with the faculty. Without it, the page of every trace newest first
 * walked the whole country's (updated_at, id) index and skipped the other faculties' rows, each
 * read from the table to learn its faculty; the audit log's page of one action lost its
 * index-only read the same way. Each replaces the index it extends (one faculty's rows are a
 * prefix of the new one, so a one-faculty deployment's reads are served as before), and the
 * bare (faculty_id) indexes of migration 27 on the same tables, which they make redundant:
 * fewer indexes for an autosave or an audited read to update.
 *
 * Built CONCURRENTLY, outside a transaction, as migration 18 does, for the same reason: a build
 * in one would stop every write to the trace table or the audit log for its length.
 * Re-runnable: an invalid index left by an interrupted build is dropped first.
 */
const INDEXES = [
  { name: 'trace_faculty_updated_idx', on: 'trace (faculty_id, updated_at DESC, id)', replaces: ['trace_updated_idx', 'trace_faculty_idx'], was: ['trace_updated_idx ON trace (updated_at DESC, id)', 'trace_faculty_idx ON trace (faculty_id)'] },
  { name: 'trace_faculty_kind_updated_idx', on: 'trace (faculty_id, kind, updated_at DESC, id)', replaces: ['trace_kind_updated_idx'], was: ['trace_kind_updated_idx ON trace (kind, updated_at DESC, id)'] },
  {
    name: 'audit_log_faculty_action_page_idx',
    on: 'audit_log (faculty_id, action, occurred_at DESC, id DESC)',
    replaces: ['audit_log_action_page_idx', 'audit_log_faculty_idx'],
    was: ['audit_log_action_page_idx ON audit_log (action, occurred_at DESC, id DESC)', 'audit_log_faculty_idx ON audit_log (faculty_id)'],
  },
] as const;

export class FacultyIndexes1764000031000 implements MigrationInterface {
  name = 'FacultyIndexes1764000031000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    await bounded(q, async () => {
      for (const index of INDEXES) {
        await dropInvalid(q, index.name);
        await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${index.name} ON ${index.on}`);
        for (const old of index.replaces) await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${old}`);
      }
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await bounded(q, async () => {
      for (const index of [...INDEXES].reverse()) {
        for (const [i, old] of index.was.entries()) {
          await dropInvalid(q, index.replaces[i]);
          await q.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${old}`);
        }
        await q.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index.name}`);
      }
    });
  }
}

/** Runs `steps` with waits for other transactions bounded (outside a transaction, SET holds for the session: reset after). */
async function bounded(q: QueryRunner, steps: () => Promise<void>): Promise<void> {
  await q.query(`SET lock_timeout = '2min'`);
  try {
    await steps();
  } finally {
    await q.query(`RESET lock_timeout`);
  }
}

async function dropInvalid(q: QueryRunner, index: string): Promise<void> {
  const [row] = await q.query(`SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`, [index]);
  if (row && !row.indisvalid) await q.query(`DROP INDEX CONCURRENTLY ${index}`);
}
