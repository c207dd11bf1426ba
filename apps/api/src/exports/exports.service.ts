import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { CARNET_CONFIG } from '@carnet/config';
import { ExportRepository, PortfolioExport } from '@carnet/database';
import { displayName, DomainError, ErrorCode, notFound } from '@carnet/domain';
import { ResolvedConfig } from '@carnet/infrastructure';
import { JOB_PRODUCER, JobProducer } from '@carnet/queue';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { PortfolioAccessService, PortfolioIntern } from '../portfolios/portfolio-access.service';
import { ExportView, RequestExportBody } from './exports.dto';

export const DOWNLOAD_URL_SECONDS = 15 * 60;
/** Exports expire after EXPORT_RETENTION_DAYS: a requester has a handful, never thousands. */
export const EXPORT_LIST_LIMIT = 50;

export function exportView(row: PortfolioExport): ExportView {
  const view: ExportView = {
    id: row.id,
    internId: row.internId,
    format: row.format,
    scope: row.scope,
    status: row.status,
    progress: row.progress,
    createdAt: row.createdAt.toISOString(),
  };
  if (row.size !== null) view.size = row.size;
  if (row.sha256) view.sha256 = row.sha256;
  if (row.pages !== null) view.pages = row.pages;
  if (row.error) view.error = row.error;
  if (row.status === 'completed') view.downloadUrl = `/api/exports/${row.id}/download`;
  if (row.completedAt) view.completedAt = row.completedAt.toISOString();
  return view;
}

@Injectable()
export class ExportsService {
  constructor(
    private readonly exports: ExportRepository,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(JOB_PRODUCER) private readonly jobs: JobProducer,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly portfolios: PortfolioAccessService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Queues an export, or returns the one already pending for the same requester, intern,
   * format, scope and state of the portfolio (`created: false`).
   */
  async request(auth: AuthContext, internId: string, body: RequestExportBody): Promise<{ export: ExportView; created: boolean }> {
    const { relation } = await this.portfolios.relation(auth, internId);
    if ((relation === 'admin' || relation === 'jury') && body.scope === 'all') {
      throw new DomainError(ErrorCode.Forbidden, 'Seules les traces validées peuvent être exportées ici (scope « validated »).');
    }
    const key = { internId, requestedBy: auth.userId, format: body.format, scope: body.scope, portfolioStamp: await this.exports.portfolioStamp(internId) };
    const id = await this.exports.queueUnlessPending(key);
    if (id === null) {
      const pending = await this.exports.findByKey(key);
      if (pending && (pending.status === 'queued' || pending.status === 'running')) return { export: exportView(pending), created: false };
      return this.request(auth, internId, body); // it finished in between: ask again
    }
    await this.audit.record(auth, { action: 'export.requested', subjectType: 'portfolio', subjectId: internId, details: { exportId: id, format: body.format, scope: body.scope } });
    try {
      await this.jobs.enqueue('export.build', { exportId: id }, { jobId: `export-${id}`, backoff: { type: 'exponential', delay: this.config.exports.retryDelayMs } });
    } catch {
      await this.exports.markFailed(id, 'La file de travaux est indisponible : réessayez dans un moment.');
      throw new DomainError(ErrorCode.QueueUnavailable, 'La file de travaux est indisponible : réessayez dans un moment.');
    }
    return { export: exportView(await this.exports.get(id)), created: true };
  }

  /**
   * The requester's own exports of this portfolio, newest first, while they may still read it
   * (the same rule as `own()`): a tutor whose tutorship ended lists nothing, not even their past files.
   */
  async list(auth: AuthContext, internId: string): Promise<ExportView[]> {
    await this.portfolios.relation(auth, internId);
    const rows = await this.exports.listRequestedBy(internId, auth.userId, EXPORT_LIST_LIMIT);
    return rows.map(exportView);
  }

  async get(auth: AuthContext, id: string): Promise<ExportView> {
    return exportView((await this.own(auth, id)).row);
  }

  async download(auth: AuthContext, id: string): Promise<{ redirect?: string; stream?: Readable; filename: string; contentType: string; size: number }> {
    const { row, intern } = await this.own(auth, id);
    if (row.status !== 'completed' || !row.storageKey) {
      throw new DomainError(ErrorCode.Conflict, row.status === 'expired' ? 'Cet export a expiré : demandez-en un nouveau.' : 'L’export n’est pas encore prêt.');
    }
    const name = displayName(intern);
    const filename = `portfolio-${name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-')}-${row.createdAt.toISOString().slice(0, 10)}.${row.format}`;
    await this.audit.record(auth, { action: 'export.downloaded', subjectType: 'portfolio', subjectId: row.internId, details: { exportId: id } });
    const contentType = row.format === 'pdf' ? 'application/pdf' : 'application/zip';
    const redirect = await this.storage.signedUrl(row.storageKey, DOWNLOAD_URL_SECONDS, filename);
    if (redirect) return { redirect, filename, contentType, size: row.size ?? 0 };
    return { stream: await this.storage.get(row.storageKey), filename, contentType, size: row.size ?? 0 };
  }

  /**
   * An export is visible to whoever requested it, and to nobody else, while they may still read
   * the portfolio: a tutorship ended or a jury session closed ends access to its exports too.
   */
  private async own(auth: AuthContext, id: string): Promise<{ row: PortfolioExport; intern: PortfolioIntern }> {
    const row = await this.exports.findRequestedBy(id, auth.userId);
    if (!row) throw notFound('Export');
    const { intern } = await this.portfolios.relation(auth, row.internId).catch(() => {
      throw notFound('Export');
    });
    return { row, intern };
  }
}
