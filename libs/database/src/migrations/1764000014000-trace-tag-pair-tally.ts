import { MigrationInterface, QueryRunner } from 'typeorm';
import { tagRows, tallyFunctions } from './1764000013000-trace-tag-tally';

/**
 * An admin's trace list filtered by a competence AND a famille (both filters of the list page):
 * no single tag's total answers it, and counting it read every one of 2 million traces (the
 * arrays' `= ANY` filters take no index): seconds. `trace_tag_tally` gains the pairs, axis
 * `pair`, tag `competence/famille` — a trace with two competences and two familles counts in
 * four —, moved by the same triggers in the same writing transaction.
 */
/** One row per (trace, competence, famille) of the traces in `rows`, signed (as `tagRows`). */
const pairRows = (rows: string, sign: number) => `
      SELECT ${sign} AS d, 'pair' AS axis, c.tag || '/' || f.tag AS tag, status, kind FROM ${rows}, unnest(competences) c(tag), unnest(familles) f(tag)`;
export const withPairs = (rows: string, sign: number) => `${tagRows(rows, sign)} UNION ALL ${pairRows(rows, sign)}`;

export class TraceTagPairTally1764000014000 implements MigrationInterface {
  name = 'TraceTagPairTally1764000014000';

  async up(q: QueryRunner): Promise<void> {
    // Writers wait (readers do not) until this transaction commits: no trace moves between the
    // new triggers taking over and the count below. 6.4 s at 2.1 million traces.
    await q.query(`LOCK TABLE trace IN SHARE MODE`);
    await q.query(`ALTER TABLE trace_tag_tally DROP CONSTRAINT trace_tag_tally_axis_check`);
    await q.query(`ALTER TABLE trace_tag_tally ADD CONSTRAINT trace_tag_tally_axis_check CHECK (axis IN ('competence', 'famille', 'pair'))`);
    for (const statement of tallyFunctions(withPairs)) await q.query(statement);
    await q.query(`
      INSERT INTO trace_tag_tally (axis, tag, status, kind, n)
      SELECT axis, tag, status, kind, sum(d) FROM (${pairRows('trace', 1)}) x GROUP BY axis, tag, status, kind`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`LOCK TABLE trace IN SHARE MODE`);
    for (const statement of tallyFunctions(tagRows)) await q.query(statement);
    await q.query(`DELETE FROM trace_tag_tally WHERE axis = 'pair'`);
    await q.query(`ALTER TABLE trace_tag_tally DROP CONSTRAINT trace_tag_tally_axis_check`);
    await q.query(`ALTER TABLE trace_tag_tally ADD CONSTRAINT trace_tag_tally_axis_check CHECK (axis IN ('competence', 'famille'))`);
  }
}
