import { Injectable } from '@nestjs/common';
import type { AuditEntry } from '../entities';
import { requestFacultySql } from '../tenancy';
import { CURSOR_KEY, cursorKeys, keysetPage, offsetOf, Page, pageOf } from '../sql/paging';
import { isoSql, keySql, SqlParams } from '../sql/sql-params';
import { Database, Tx } from './database';

export interface AuditRecord {
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

/** Who did it, and from where: a person (signed in or not yet known) or the system. */
export interface AuditActor {
  userId?: string | null;
  ip: string | null;
  requestId: string | null;
}

/** An entry as the API shows it: its id a number, its time ISO text, its actor's name for a reader. */
export type AuditView = Omit<AuditEntry, 'id' | 'occurredAt'> & { id: number; occurredAt: string; actorName: string | null };

/** A page of the log, filtered (every filter optional), by page number or after a cursor. */
export interface AuditListQuery {
  page: number;
  pageSize: number;
  cursor?: string;
  action?: string;
  actorId?: string;
  subjectType?: string;
  subjectId?: string;
  from?: string;
  to?: string;
}

// The actor's name is read per row of the page (by primary key), not joined into the page's
// walk of the log's indexes.
const AUDIT_COLUMNS = `a.id::float8 AS id, ${isoSql('a.occurred_at')} AS "occurredAt", a.actor_id AS "actorId", a.action, a.subject_type AS "subjectType",
  a.subject_id AS "subjectId", a.ip, a.request_id AS "requestId", a.details,
  (SELECT u.first_name || ' ' || u.last_name FROM app_user u WHERE u.id = a.actor_id) AS "actorName"`;

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
 * The append-only audit log. Written inside the caller's transaction when one is given, so an
 * action and its audit entry are saved together or not at all.
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Database) {}

  async record(who: AuditActor, record: AuditRecord, tx?: Tx): Promise<void> {
    const params = new SqlParams();
    const entry = { from: '(VALUES (1)) one', subjectId: `${params.add(record.subjectId ?? null)}::text`, details: `${params.add(record.details ?? {})}::jsonb` };
    await this.db.prepared(this.insertSql(who, record, params, entry), params.values, tx);
  }

  /**
   * The entry as an INSERT … SELECT, one per row of `rows.from` (a CTE of the caller's
   * statement) that meets `rows.where`, its subject and details SQL over those rows, its values
   * bound in `params`: for an action written in one statement with its entry, both saved or
   * neither. For other repositories' statements only.
   */
  insertSql(who: AuditActor, record: Pick<AuditRecord, 'action' | 'subjectType'>, params: SqlParams, rows: { from: string; where?: string; subjectId: string; details: string }): string {
    return `INSERT INTO audit_log (actor_id, action, subject_type, subject_id, ip, request_id, details)
      SELECT ${params.add(who.userId ?? null)}::uuid, ${params.add(record.action)}, ${params.add(record.subjectType ?? null)}, ${rows.subjectId}, ${params.add(who.ip)}, ${params.add(who.requestId)}, ${rows.details}
        FROM ${rows.from}${rows.where ? ` WHERE ${rows.where}` : ''}`;
  }

  /** Count of `action` entries on a subject, or from an address, since `since`. */
  async countSince(action: string, since: Date, filter: { subjectId?: string; ip?: string }): Promise<number> {
    const params = new SqlParams();
    const where = [`a.action = ${params.add(action)}`, `a.occurred_at > ${params.add(since)}`];
    if (filter.subjectId !== undefined) where.push(`a.subject_id = ${params.add(filter.subjectId)}`);
    if (filter.ip !== undefined) where.push(`a.ip = ${params.add(filter.ip)}`);
    const [{ n }] = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log a WHERE ${where.join(' AND ')}`, params.values);
    return n;
  }

  /**
   * A page of the log, newest first, by page number or after a cursor (the log only grows: an
   * admin reading far back pages by cursor, and new entries do not shift what they read). The
   * page is one prepared statement off the indexes; its total, by action and time only (the
   * admin's usual views, over millions of entries), comes from the daily counts the worker rolls
   * up plus what is not rolled up yet (`audit_count`, migration 12), and by actor or subject from
   * their indexes.
   */
  async list(query: AuditListQuery): Promise<Page<AuditView>> {
    const params = new SqlParams();
    const where: string[] = [requestFacultySql('a')];
    if (query.action) where.push(`a.action = ${params.add(query.action)}`);
    if (query.actorId) where.push(`a.actor_id = ${params.add(query.actorId)}`);
    if (query.subjectType) where.push(`a.subject_type = ${params.add(query.subjectType)}`);
    if (query.subjectId) where.push(`a.subject_id = ${params.add(query.subjectId)}`);
    if (query.from) where.push(`a.occurred_at >= ${params.add(query.from)}::timestamptz`);
    if (query.to) where.push(`a.occurred_at < ${params.add(query.to)}::timestamptz`);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const filterValues = [...params.values];
    if (query.cursor) {
      const [at, id] = cursorKeys(query.cursor, [{ shape: CURSOR_KEY.timestamp }, { shape: CURSOR_KEY.integer }]);
      where.push(`(a.occurred_at, a.id) < (${params.add(at)}::timestamptz, ${params.add(id)}::bigint)`);
    }
    const offset = query.cursor ? 0 : offsetOf(query);
    // One row more than the page tells whether another page follows; the limit is in the text
    // (a prepared page keeps a plan made for its size), the offset bound when there is one. The
    // page's ids first (one action's: from its index alone, migration 18), then their entries:
    // a walk of the time index skipping other actions looks as cheap to the planner, which
    // cannot know that the newest entries may be another action's by the hundred thousand.
    const page = `WITH page AS MATERIALIZED (SELECT a.id FROM audit_log a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.occurred_at DESC, a.id DESC LIMIT ${Math.trunc(query.pageSize) + 1}${offset ? ` OFFSET ${params.add(offset)}` : ''})
      SELECT ${AUDIT_COLUMNS}, ${keySql('a.occurred_at')} AS "occurredKey" FROM page JOIN audit_log a ON a.id = page.id ORDER BY a.occurred_at DESC, a.id DESC`;
    const counted =
      query.actorId || query.subjectType || query.subjectId
        ? this.db.prepared<{ total: number }>(`SELECT count(*)::int AS total FROM audit_log a ${filter}`, filterValues)
        : this.db.prepared<{ total: number }>(`SELECT audit_count($1, $2, $3)::int AS total`, [query.action ?? null, query.from ?? null, query.to ?? null]);
    const [read, [{ total }]] = await Promise.all([this.db.prepared<AuditView & { occurredKey: string }>(page, params.values), counted]);
    const { rows, nextCursor } = keysetPage(read, query.pageSize, (last) => [last.occurredKey, String(last.id)]);
    return { ...pageOf(rows.map(({ occurredKey: _, ...entry }) => entry), total, query), nextCursor };
  }

  /** Rolls the final days up (AUDIT_ROLLUP_SQL): the entries rolled up, and the last day now rolled up (null: nothing new). */
  async rollUp(): Promise<{ entries: number; through: string | null }> {
    const [row] = (await this.db.query(AUDIT_ROLLUP_SQL)) as unknown as [{ entries: number; through: string }[], number];
    return row[0] ?? { entries: 0, through: null };
  }
}
