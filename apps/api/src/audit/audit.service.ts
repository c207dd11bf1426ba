import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntry, PreparedStatements, requestFacultySql } from '@carnet/database';
import type { AuthContext, RequestOrigin } from '../auth/auth-context';
import { CURSOR_KEY, cursorKeys, keysetPage, offsetOf, Page, pageOf } from '../common/paging';
import { isoSql, keySql, SqlParams } from '../common/sql-params';
import type { ListAuditQuery } from './dto/audit.dto';

export interface AuditRecord {
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

/** An entry as the API shows it: its id a number, its time ISO text, its actor's name for a reader. */
export type AuditView = Omit<AuditEntry, 'id' | 'occurredAt'> & { id: number; occurredAt: string; actorName: string | null };

// The actor's name is read per row of the page (by primary key), not joined into the page's
// walk of the log's indexes.
const AUDIT_COLUMNS = `a.id::float8 AS id, ${isoSql('a.occurred_at')} AS "occurredAt", a.actor_id AS "actorId", a.action, a.subject_type AS "subjectType",
  a.subject_id AS "subjectId", a.ip, a.request_id AS "requestId", a.details,
  (SELECT u.first_name || ' ' || u.last_name FROM app_user u WHERE u.id = a.actor_id) AS "actorName"`;

type Who = Pick<AuthContext, 'userId' | 'ip' | 'requestId'> | (RequestOrigin & { userId?: string | null });

/**
 * The append-only audit log. Written inside the caller's transaction when one is given, so an
 * action and its audit entry are saved together or not at all.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly statements: PreparedStatements,
  ) {}

  async record(who: Who, record: AuditRecord, manager?: EntityManager): Promise<void> {
    const params = new SqlParams();
    const entry = { from: '(VALUES (1)) one', subjectId: `${params.add(record.subjectId ?? null)}::text`, details: `${params.add(record.details ?? {})}::jsonb` };
    await this.statements.query(this.insertSql(who, record, params, entry), params.values, manager);
  }

  /**
   * The entry as an INSERT … SELECT, one per row of `rows.from` (a CTE of the caller's
   * statement) that meets `rows.where`, its subject and details SQL over those rows, its values bound in `params`: for
   * an action written in one statement with its entry, both saved or neither.
   */
  insertSql(who: Who, record: Pick<AuditRecord, 'action' | 'subjectType'>, params: SqlParams, rows: { from: string; where?: string; subjectId: string; details: string }): string {
    return `INSERT INTO audit_log (actor_id, action, subject_type, subject_id, ip, request_id, details)
      SELECT ${params.add(who.userId ?? null)}::uuid, ${params.add(record.action)}, ${params.add(record.subjectType ?? null)}, ${rows.subjectId}, ${params.add(who.ip)}, ${params.add(who.requestId)}, ${rows.details}
        FROM ${rows.from}${rows.where ? ` WHERE ${rows.where}` : ''}`;
  }

  /** Count of `action` entries on a subject, or from an address, since `since`. */
  async countSince(action: string, since: Date, filter: { subjectId?: string; ip?: string }): Promise<number> {
    const query = this.dataSource
      .getRepository(AuditEntry)
      .createQueryBuilder('a')
      .where('a.action = :action AND a.occurred_at > :since', { action, since });
    if (filter.subjectId !== undefined) query.andWhere('a.subject_id = :subjectId', { subjectId: filter.subjectId });
    if (filter.ip !== undefined) query.andWhere('a.ip = :ip', { ip: filter.ip });
    return query.getCount();
  }

  /**
   * A page of the log, newest first, by page number or after a cursor (the log only grows: an
   * admin reading far back pages by cursor, and new entries do not shift what they read). The
   * page is one prepared statement off the indexes; its total, by action and time only (the
   * admin's usual views, over millions of entries), comes from the daily counts the worker rolls
   * up plus what is not rolled up yet (`audit_count`, migration 12), and by actor or subject from
   * their indexes.
   */
  async list(query: ListAuditQuery): Promise<Page<AuditView>> {
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
        ? this.statements.query<{ total: number }>(`SELECT count(*)::int AS total FROM audit_log a ${filter}`, filterValues)
        : this.statements.query<{ total: number }>(`SELECT audit_count($1, $2, $3)::int AS total`, [query.action ?? null, query.from ?? null, query.to ?? null]);
    const [read, [{ total }]] = await Promise.all([this.statements.query<AuditView & { occurredKey: string }>(page, params.values), counted]);
    const { rows, nextCursor } = keysetPage(read, query.pageSize, (last) => [last.occurredKey, String(last.id)]);
    return { ...pageOf(rows.map(({ occurredKey: _, ...entry }) => entry), total, query), nextCursor };
  }
}
