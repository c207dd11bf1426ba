import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';

/**
 * One statement: the mark locked, the days after it rolled up by faculty (entries of no faculty,
 * failed sign-ins of unknown addresses, stay in the log only), the mark moved; its figures returned.
 */
export const AUDIT_ROLLUP_SQL = `
  WITH mark AS (SELECT through, ((now() - interval '1 hour') AT TIME ZONE 'UTC')::date - 1 AS until FROM audit_rollup FOR UPDATE),
       rolled AS (
         INSERT INTO audit_day (faculty_id, day, action, n)
         SELECT a.faculty_id, (a.occurred_at AT TIME ZONE 'UTC')::date, a.action, count(*) FROM audit_log a, mark
          WHERE mark.until > coalesce(mark.through, '-infinity') AND a.faculty_id IS NOT NULL
            AND a.occurred_at >= coalesce((mark.through + 1)::timestamp AT TIME ZONE 'UTC', '-infinity')
            AND a.occurred_at < (mark.until + 1)::timestamp AT TIME ZONE 'UTC'
          GROUP BY 1, 2, 3
         RETURNING n)
  UPDATE audit_rollup SET through = mark.until FROM mark
   WHERE mark.until > coalesce(mark.through, '-infinity')
  RETURNING (SELECT coalesce(sum(n), 0)::int FROM rolled) AS entries, mark.until::text AS through`;

/**
 * Rolls the audit log's final days up into `audit_day` (entries by UTC day and action), from the
 * day after the last one rolled up to the last day that ended over an hour ago. Daily, and once
 * when a worker starts; one statement, so a run killed midway leaves nothing half done, and two
 * runs at once roll each day up once (the second waits on the mark, then finds nothing to do).
 * The admin's totals stay exact without it, only slower: what is not rolled up is counted.
 */
@Injectable()
export class AuditRollupProcessor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('AuditRollupProcessor');
  }

  /** The number of entries rolled up, and the last day now rolled up (null: nothing new). */
  async run(): Promise<{ entries: number; through: string | null }> {
    const [row] = (await this.dataSource.query(AUDIT_ROLLUP_SQL)) as [{ entries: number; through: string }[], number];
    const done = row[0] ?? { entries: 0, through: null };
    if (done.through) this.logger.info(done, 'audit log rolled up');
    return done;
  }
}
