import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEntry, Statements } from '@carnet/database';
import type { AuthContext, RequestOrigin } from '../auth/auth-context';
import { CURSOR_KEY, cursorKeys, keysetPage, offsetOf, Page, pageOf } from '../common/paging';
import { keySql } from '../common/sql-params';
import type { ListAuditQuery } from './dto/audit.dto';

export interface AuditRecord {
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

type Who = Pick<AuthContext, 'userId' | 'ip' | 'requestId'> | (RequestOrigin & { userId?: string | null });

/**
 * The append-only audit log. Written inside the caller's transaction when one is given, so an
 * action and its audit entry are saved together or not at all.
 */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly statements: Statements,
  ) {}

  async record(who: Who, record: AuditRecord, manager?: EntityManager): Promise<void> {
    await this.statements.query(
      `INSERT INTO audit_log (actor_id, action, subject_type, subject_id, ip, request_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [who.userId ?? null, record.action, record.subjectType ?? null, record.subjectId ?? null, who.ip, who.requestId, record.details ?? {}],
      manager,
    );
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
   * admin reading far back pages by cursor, and new entries do not shift what they read).
   */
  async list(query: ListAuditQuery): Promise<Page<Omit<AuditEntry, 'id' | 'occurredAt'> & { id: number; occurredAt: string }>> {
    const builder = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a');
    if (query.action) builder.andWhere('a.action = :action', { action: query.action });
    if (query.actorId) builder.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.subjectType) builder.andWhere('a.subject_type = :subjectType', { subjectType: query.subjectType });
    if (query.subjectId) builder.andWhere('a.subject_id = :subjectId', { subjectId: query.subjectId });
    if (query.from) builder.andWhere('a.occurred_at >= :from', { from: query.from });
    if (query.to) builder.andWhere('a.occurred_at < :to', { to: query.to });
    const page = builder
      .clone()
      .addSelect(keySql('a.occurred_at'), 'occurred_key')
      .orderBy('a.occurred_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .offset(query.cursor ? 0 : offsetOf(query))
      .limit(query.pageSize + 1); // one more tells whether another page follows
    if (query.cursor) {
      const [at, id] = cursorKeys(query.cursor, [{ shape: CURSOR_KEY.timestamp }, { shape: CURSOR_KEY.integer }]);
      page.andWhere('(a.occurred_at, a.id) < (CAST(:at AS timestamptz), CAST(:id AS bigint))', { at, id });
    }
    const [{ entities, raw }, total] = await Promise.all([page.getRawAndEntities<{ occurred_key: string }>(), builder.getCount()]);
    const read = entities.map((entry, i) => ({ entry, key: raw[i].occurred_key }));
    const { rows, nextCursor } = keysetPage(read, query.pageSize, (last) => [last.key, String(last.entry.id)]);
    return { ...pageOf(rows.map(({ entry: a }) => ({ ...a, id: Number(a.id), occurredAt: a.occurredAt.toISOString() })), total, query), nextCursor };
  }
}
