import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An admin's or a jury's list of one kind of trace (the country's RSCAs, a tenth of the
 * traces), newest first: it walked the `(updated_at, id)` index and read each trace's row to
 * skip the nine in ten of other kinds, and a competence filter besides (a third of RSCAs) made
 * that 1,800 rows read for a page of 50. Led by the kind, the walk reads RSCAs only: 160 rows.
 *
 * Built in the migration's transaction, as the summaries were (migrations 11 to 14): writers
 * wait for it (3.9 s at 2.1 million traces), readers do not. Written before the migration lock
 * was polled; migration 18 shows the way to build an index CONCURRENTLY since.
 */
export class TraceKindIndex1764000016000 implements MigrationInterface {
  name = 'TraceKindIndex1764000016000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX trace_kind_updated_idx ON trace (kind, updated_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trace_kind_updated_idx`);
  }
}
