import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log's totals at national scale (millions of entries a year): an admin's page counted
 * every entry of its filter. `audit_day` holds the number of entries by UTC day and action for
 * the days rolled up (`audit_rollup.through` and before), written by the worker's daily roll-up.
 * The log is append-only and stamped with the writing transaction's start, so a day is final once
 * it ended an hour ago (no request's transaction lasts that long); its counts never change after.
 *
 * `audit_count(action, from, to)` is the exact count of entries of an action (NULL: any) in
 * [from, to) (NULL: unbounded): whole rolled-up days from `audit_day`, the partial days at the
 * edges and the days not rolled up yet (today, at most) from the log's indexes.
 */
export class AuditDays1764000012000 implements MigrationInterface {
  name = 'AuditDays1764000012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_day (
        day date NOT NULL,
        action text NOT NULL,
        n bigint NOT NULL CHECK (n > 0),
        PRIMARY KEY (action, day)
      )`);
    await q.query(`CREATE INDEX audit_day_day_idx ON audit_day (day)`);
    // One row: the last day rolled up (NULL: none yet).
    await q.query(`CREATE TABLE audit_rollup (one boolean PRIMARY KEY DEFAULT true CHECK (one), through date)`);
    await q.query(`INSERT INTO audit_rollup (through) VALUES (NULL)`);
    await q.query(`
      CREATE FUNCTION audit_count(p_action text, p_from timestamptz, p_to timestamptz) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
      DECLARE
        lo_at timestamptz := coalesce(p_from, '-infinity');
        hi_at timestamptz := coalesce(p_to, 'infinity');
        -- The first instant not rolled up, and the whole days of [lo_at, hi_at) before it: [lo, hi).
        upto timestamptz := coalesce((SELECT (through + 1)::timestamp AT TIME ZONE 'UTC' FROM audit_rollup), '-infinity');
        lo timestamptz := CASE WHEN p_from IS NULL THEN '-infinity'
                               ELSE date_trunc('day', p_from AT TIME ZONE 'UTC' + interval '1 day' - interval '1 microsecond') AT TIME ZONE 'UTC' END;
        hi timestamptz := least(CASE WHEN p_to IS NULL THEN 'infinity' ELSE date_trunc('day', p_to AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' END, upto);
        by_action text := CASE WHEN p_action IS NULL THEN '' ELSE ' AND action = $3' END;
        logged text := 'SELECT count(*) FROM audit_log WHERE occurred_at >= $1 AND occurred_at < $2';
        total bigint;
        part bigint;
      BEGIN
        IF lo >= hi THEN
          EXECUTE logged || by_action INTO total USING lo_at, hi_at, p_action;
          RETURN total;
        END IF;
        EXECUTE 'SELECT coalesce(sum(n), 0) FROM audit_day WHERE day >= $1 AND day < $2' || by_action
          INTO total USING (lo AT TIME ZONE 'UTC')::date, (hi AT TIME ZONE 'UTC')::date, p_action;
        IF lo_at < lo THEN
          EXECUTE logged || by_action INTO part USING lo_at, lo, p_action;
          total := total + part;
        END IF;
        IF hi < hi_at THEN
          EXECUTE logged || by_action INTO part USING hi, hi_at, p_action;
          total := total + part;
        END IF;
        RETURN total;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_count(text, timestamptz, timestamptz)`);
    await q.query(`DROP TABLE audit_rollup`);
    await q.query(`DROP TABLE audit_day`);
  }
}
