import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an admin's unfiltered trace list needs at national scale (2 million traces):
 * - its pages in either order off an index, not a sort of every row (2 s);
 * - its total from a summary kept by triggers in the writing transaction, not a count of
 *   every row (0.6 s): `trace_tally` holds the number of traces by status and kind.
 *
 * Inserts and deletes are counted once per statement (transition tables), so bulk writes and
 * cascades from an erased account cost one upsert per (status, kind) they touch; an update
 * counts only when it moves a trace's status or kind (a submission, a validation), never on
 * an autosave. Concurrent writers of the same (status, kind) queue on its row for the rest of
 * their transaction: creating and submitting traces are short transactions, a few a second at
 * national peak. Rows are always taken in (status, kind) order, so two writers never deadlock.
 */
export class TraceTally1764000011000 implements MigrationInterface {
  name = 'TraceTally1764000011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX trace_updated_idx ON trace (updated_at DESC, id)`);
    await q.query(`CREATE INDEX trace_submitted_idx ON trace (submitted_at, id)`);
    await q.query(`
      CREATE TABLE trace_tally (
        status text NOT NULL,
        kind text NOT NULL,
        n bigint NOT NULL CHECK (n >= 0),
        PRIMARY KEY (status, kind)
      )`);
    await q.query(`
      CREATE FUNCTION trace_tally_add(delta bigint, at_status text, at_kind text, how_many bigint) RETURNS void LANGUAGE sql AS $$
        INSERT INTO trace_tally (status, kind, n) VALUES (at_status, at_kind, 0) ON CONFLICT (status, kind) DO NOTHING;
        UPDATE trace_tally SET n = n + delta * how_many WHERE status = at_status AND kind = at_kind;
      $$`);
    await q.query(`
      CREATE FUNCTION trace_tally_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM trace_tally_add(1, status, kind, count(*)) FROM inserted GROUP BY status, kind ORDER BY status, kind;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION trace_tally_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM trace_tally_add(-1, status, kind, count(*)) FROM deleted GROUP BY status, kind ORDER BY status, kind;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION trace_tally_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (OLD.status, OLD.kind) < (NEW.status, NEW.kind) THEN
          PERFORM trace_tally_add(-1, OLD.status, OLD.kind, 1);
          PERFORM trace_tally_add(1, NEW.status, NEW.kind, 1);
        ELSE
          PERFORM trace_tally_add(1, NEW.status, NEW.kind, 1);
          PERFORM trace_tally_add(-1, OLD.status, OLD.kind, 1);
        END IF;
        RETURN NULL;
      END $$`);
    // The triggers first: they lock the table against writers until this transaction commits,
    // so no trace is written between the count below and the triggers counting.
    await q.query(`CREATE TRIGGER trace_tally_insert AFTER INSERT ON trace REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION trace_tally_inserted()`);
    await q.query(`CREATE TRIGGER trace_tally_delete AFTER DELETE ON trace REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION trace_tally_deleted()`);
    await q.query(`
      CREATE TRIGGER trace_tally_update AFTER UPDATE OF status, kind ON trace FOR EACH ROW
        WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.kind IS DISTINCT FROM NEW.kind) EXECUTE FUNCTION trace_tally_moved()`);
    await q.query(`INSERT INTO trace_tally (status, kind, n) SELECT status, kind, count(*) FROM trace GROUP BY status, kind`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trace_tally_update ON trace`);
    await q.query(`DROP TRIGGER trace_tally_delete ON trace`);
    await q.query(`DROP TRIGGER trace_tally_insert ON trace`);
    await q.query(`DROP FUNCTION trace_tally_moved(), trace_tally_deleted(), trace_tally_inserted(), trace_tally_add(bigint, text, text, bigint)`);
    await q.query(`DROP TABLE trace_tally`);
    await q.query(`DROP INDEX trace_submitted_idx`);
    await q.query(`DROP INDEX trace_updated_idx`);
  }
}
