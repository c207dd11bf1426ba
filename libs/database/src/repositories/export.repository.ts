import { Injectable } from '@nestjs/common';
import { In, LessThan } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ExportFormat, ExportScope, PortfolioExport } from '../entities';
import { Database, Tx } from './database';

/** What makes two export requests the same: requester, intern, format, scope and state of the portfolio. */
export interface ExportKey {
  internId: string;
  requestedBy: string;
  format: ExportFormat;
  scope: ExportScope;
  portfolioStamp: string;
}

/**
 * Portfolio exports: requested, listed and read for download by the API; taken, advanced, finished
 * and expired by the worker that builds them.
 */
@Injectable()
export class ExportRepository {
  constructor(private readonly db: Database) {}

  /**
   * The state of the intern's portfolio: it changes with every trace written (each write moves
   * its version on; `updated_at` alone stays put over an intern's autosaves within a minute) and
   * every file attached.
   */
  async portfolioStamp(internId: string, tx?: Tx): Promise<string> {
    const [{ stamp }] = await this.db.query<{ stamp: string }>(
      `SELECT concat_ws(':', count(t.id), sum(t.version), max(t.updated_at), max(a.created_at)) AS stamp
         FROM trace t LEFT JOIN attachment a ON a.trace_id = t.id WHERE t.intern_id = $1`,
      [internId],
      tx,
    );
    return stamp;
  }

  /** Queues an export unless the same one is already queued or running: its id, or null when it was. */
  async queueUnlessPending(key: ExportKey, tx?: Tx): Promise<string | null> {
    const inserted = await this.db.query<{ id: string }>(
      `INSERT INTO portfolio_export (intern_id, requested_by, format, scope, portfolio_stamp)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (requested_by, intern_id, format, scope, portfolio_stamp) WHERE status IN ('queued', 'running') DO NOTHING
       RETURNING id`,
      [key.internId, key.requestedBy, key.format, key.scope, key.portfolioStamp],
      tx,
    );
    return inserted[0]?.id ?? null;
  }

  /** An export of that key (the pending one, if any: a finished one may share its key). */
  findByKey(key: ExportKey, tx?: Tx): Promise<PortfolioExport | null> {
    return this.db.manager(tx).getRepository(PortfolioExport).findOneBy({ ...key });
  }

  get(id: string, tx?: Tx): Promise<PortfolioExport> {
    return this.db.manager(tx).getRepository(PortfolioExport).findOneByOrFail({ id });
  }

  /** The export, or null when it is gone. */
  find(id: string): Promise<PortfolioExport | null> {
    return this.db.manager().findOneBy(PortfolioExport, { id });
  }

  /** The faculty the export was requested in; null when the export is gone. */
  async facultyIdOf(id: string): Promise<string | null> {
    const [row] = await this.db.query<{ faculty_id: string }>(`SELECT faculty_id FROM portfolio_export WHERE id = $1`, [id]);
    return row?.faculty_id ?? null;
  }

  /** The faculty the export was requested in, as its origin says it; null when none. */
  async facultyOf(id: string): Promise<{ code: string; name: string } | null> {
    const [faculty] = await this.db.query<{ code: string; name: string }>(`SELECT f.code, f.name FROM faculty f JOIN portfolio_export e ON e.faculty_id = f.id WHERE e.id = $1`, [id]);
    return faculty ?? null;
  }

  /** The worker's progress on it: state, attempts, progress, file, error. */
  async update(id: string, changes: QueryDeepPartialEntity<PortfolioExport>): Promise<void> {
    await this.db.manager().update(PortfolioExport, { id }, changes);
  }

  /** Up to `limit` completed or failed exports requested before `before`. */
  finishedBefore(before: Date, limit: number): Promise<PortfolioExport[]> {
    return this.db.manager().find(PortfolioExport, { where: { status: In(['completed', 'failed']), createdAt: LessThan(before) }, take: limit });
  }

  /** The export, if `requestedBy` asked for it (nobody else sees it). */
  findRequestedBy(id: string, requestedBy: string, tx?: Tx): Promise<PortfolioExport | null> {
    return this.db.manager(tx).getRepository(PortfolioExport).findOneBy({ id, requestedBy });
  }

  /** The requester's exports of the intern's portfolio, newest first, at most `limit`. */
  listRequestedBy(internId: string, requestedBy: string, limit: number): Promise<PortfolioExport[]> {
    return this.db.manager().getRepository(PortfolioExport).find({
      where: { internId, requestedBy },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  /** Marks it failed, with the reason the requester reads. */
  async markFailed(id: string, error: string, tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(PortfolioExport).update({ id }, { status: 'failed', error });
  }
}
