import { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per (trace, tag) of the traces in `rows` (a table or an aliased subquery), signed. */
export const tagRows = (rows: string, sign: number): string => `
      SELECT ${sign} AS d, 'competence' AS axis, unnest(competences) AS tag, status, kind FROM ${rows}
      UNION ALL SELECT ${sign}, 'famille', unnest(familles), status, kind FROM ${rows}`;

/**
 * The trigger functions that move `trace_tag_tally` by the rows `tags` makes of the traces
 * inserted, deleted, or updated (old signed -1, new +1); summed by key, taken in key order.
 */
export function tallyFunctions(tags: (rows: string, sign: number) => string): string[] {
  const apply = (source: string) => `
      PERFORM trace_tag_tally_add(sum(d), axis, tag, status, kind)
         FROM (${source}) x GROUP BY axis, tag, status, kind HAVING sum(d) <> 0 ORDER BY axis, tag, status, kind;`;
  return [
    `CREATE OR REPLACE FUNCTION trace_tag_tally_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(tags('inserted', 1))} RETURN NULL; END $$`,
    `CREATE OR REPLACE FUNCTION trace_tag_tally_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(tags('deleted', -1))} RETURN NULL; END $$`,
    `CREATE OR REPLACE FUNCTION trace_tag_tally_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(`${tags('(SELECT OLD.*) o', -1)} UNION ALL ${tags('(SELECT NEW.*) n', 1)}`)} RETURN NULL; END $$`,
  ];
}

/**
 * An admin's trace list filtered by one competence or one famille, at national scale: the
 * total of "every RSCA tagged « relation »" would read a third of 2 million traces (a GIN index
 * finds them, but the count still visits each row). `trace_tag_tally` holds the number of
 * traces by tag (competence or famille), status and kind, kept by triggers in the writing
 * transaction as `trace_tally` is (migration 11).
 *
 * Inserts and deletes count once per statement (transition tables); an update counts only the
 * tags it moves: a submission moves every tag of the trace to its new status, a change of tags
 * moves the ones added or removed, an autosave that leaves them as they were touches nothing.
 * Rows are always taken in key order, and this table's triggers fire before `trace_tally`'s
 * (triggers fire by name), so writers never deadlock on either.
 */
export class TraceTagTally1764000013000 implements MigrationInterface {
  name = 'TraceTagTally1764000013000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trace_tag_tally (
        axis text NOT NULL CHECK (axis IN ('competence', 'famille')),
        tag text NOT NULL,
        status text NOT NULL,
        kind text NOT NULL,
        n bigint NOT NULL CHECK (n >= 0),
        PRIMARY KEY (axis, tag, status, kind)
      )`);
    await q.query(`
      CREATE FUNCTION trace_tag_tally_add(delta bigint, at_axis text, at_tag text, at_status text, at_kind text) RETURNS void LANGUAGE sql AS $$
        INSERT INTO trace_tag_tally (axis, tag, status, kind, n) VALUES (at_axis, at_tag, at_status, at_kind, 0) ON CONFLICT DO NOTHING;
        UPDATE trace_tag_tally SET n = n + delta WHERE axis = at_axis AND tag = at_tag AND status = at_status AND kind = at_kind;
      $$`);
    for (const statement of tallyFunctions(tagRows)) await q.query(statement);
    // The triggers first: they lock the table against writers until this transaction commits,
    // so no trace is written between the count below and the triggers counting.
    await q.query(`CREATE TRIGGER trace_tag_tally_insert AFTER INSERT ON trace REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION trace_tag_tally_inserted()`);
    await q.query(`CREATE TRIGGER trace_tag_tally_delete AFTER DELETE ON trace REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION trace_tag_tally_deleted()`);
    await q.query(`
      CREATE TRIGGER trace_tag_tally_update AFTER UPDATE OF status, kind, competences, familles ON trace FOR EACH ROW
        WHEN ((OLD.status, OLD.kind, OLD.competences, OLD.familles) IS DISTINCT FROM (NEW.status, NEW.kind, NEW.competences, NEW.familles))
        EXECUTE FUNCTION trace_tag_tally_moved()`);
    await q.query(`
      INSERT INTO trace_tag_tally (axis, tag, status, kind, n)
      SELECT axis, tag, status, kind, sum(d) FROM (${tagRows('trace', 1)}) x GROUP BY axis, tag, status, kind`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trace_tag_tally_update ON trace`);
    await q.query(`DROP TRIGGER trace_tag_tally_delete ON trace`);
    await q.query(`DROP TRIGGER trace_tag_tally_insert ON trace`);
    await q.query(`DROP FUNCTION trace_tag_tally_moved(), trace_tag_tally_deleted(), trace_tag_tally_inserted(), trace_tag_tally_add(bigint, text, text, text, text)`);
    await q.query(`DROP TABLE trace_tag_tally`);
  }
}
