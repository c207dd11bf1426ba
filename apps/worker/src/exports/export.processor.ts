import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CARNET_CONFIG, CarnetConfig } from '@carnet/config';
import { deploymentSigningKey } from '@carnet/portfolio';
import { ExportRepository, Tenancy } from '@carnet/database';
import type { ExportJob, JobContext } from '@carnet/queue';
import { CARNET_METRICS, CarnetMetrics } from '@carnet/metrics';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { renderPortfolioPdf } from './pdf-renderer';
import { PortfolioReader } from './portfolio.reader';
import { writePortfolioZip } from './portfolio-zip';

async function fileDigest(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return { size: (await fs.stat(file)).size, sha256: hash.digest('hex') };
}

/**
 * Builds one export: reads the portfolio, lays out the PDF (worker thread), streams the ZIP
 * when asked, stores the result and records it on the export's row. A failure is thrown back
 * to BullMQ, which retries with backoff; after the last attempt the row says `failed` with a
 * readable reason. Running the same job twice does the work once: a completed row is left alone.
 */
@Injectable()
export class ExportProcessor {
  constructor(
    private readonly exports: ExportRepository,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    @Inject(CARNET_CONFIG) private readonly config: CarnetConfig,
    private readonly reader: PortfolioReader,
    private readonly logger: PinoLogger,
    @Inject(CARNET_METRICS) private readonly metrics: CarnetMetrics,
  ) {
    logger.setContext('ExportProcessor');
  }

  /**
   * Builds an export in its faculty's scope: everything the portfolio is read from passes the
   * same row-level security as the requester's own reads (ADR 0007).
   */
  async build(job: ExportJob, context: JobContext): Promise<void> {
    const facultyId = await this.exports.facultyIdOf(job.exportId);
    if (facultyId === null) return;
    return Tenancy.run({ facultyId }, () => this.buildInScope(job, context));
  }

  private async buildInScope({ exportId }: ExportJob, context: JobContext): Promise<void> {
    const request = await this.exports.find(exportId);
    if (!request || request.status === 'completed' || request.status === 'expired') return;
    // Built with what its requester may read now: access may have ended since they asked.
    if (!(await this.reader.mayStillRead(request))) {
      await this.exports.update(exportId, { status: 'failed', error: 'Vous n’avez plus accès à ce portfolio : l’export n’a pas été produit.', progress: 0 });
      this.logger.info({ exportId }, 'export refused: access ended');
      return;
    }

    await this.exports.update(exportId, { status: 'running', attempts: context.attempt, startedAt: new Date(), error: null, progress: 1 });
    const progress = async (percent: number) => {
      const value = Math.max(1, Math.min(99, Math.round(percent)));
      await Promise.all([context.reportProgress(value), this.exports.update(exportId, { progress: value })]);
    };
    const work = await fs.mkdtemp(path.join(os.tmpdir(), `carnet-export-${exportId}-`));
    try {
      const data = await this.reader.read(request);
      await progress(10);
      const pdfFile = path.join(work, 'portfolio.pdf');
      const { pages } = await renderPortfolioPdf(data, pdfFile);
      await progress(request.format === 'pdf' ? 80 : 50);

      let file = pdfFile;
      if (request.format === 'zip') {
        file = path.join(work, 'portfolio.zip');
        const signingKey = this.config.secretKey ? deploymentSigningKey(this.config.secretKey) : undefined;
        await writePortfolioZip(data, pdfFile, file, this.storage, (fraction) => progress(50 + fraction * 35), signingKey);
      }
      const { size, sha256 } = await fileDigest(file);
      // A fresh key per attempt: a retry never overwrites what a stalled attempt may still write.
      const storageKey = `exports/${request.internId}/${exportId}-${randomUUID().slice(0, 8)}.${request.format}`;
      await this.storage.put(storageKey, createReadStream(file), size, request.format === 'pdf' ? 'application/pdf' : 'application/zip');
      await progress(95);
      await this.exports.update(
        exportId,
        { status: 'completed', progress: 100, size, sha256, pages, storageKey, completedAt: new Date(), error: null },
      );
      await context.reportProgress(100);
      this.metrics.exportSize.observe({ format: request.format }, size);
      this.logger.info({ exportId, format: request.format, pages, size }, 'export completed');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const last = context.attempt >= context.maxAttempts;
      await this.exports
        .update(
          exportId,
          last
            ? { status: 'failed', error: `La génération a échoué après ${context.attempt} tentative(s) : ${message}` }
            : { status: 'queued', error: `Tentative ${context.attempt} échouée (${message}) ; nouvel essai prévu.` },
        )
        .catch(() => undefined);
      throw error;
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  }

  /** Deletes the files of exports older than the retention period; their rows say `expired`. */
  async cleanup(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.config.exports.retentionDays * 86400_000);
    const old = await this.exports.finishedBefore(before, 500);
    for (const row of old) {
      if (row.storageKey) await this.storage.delete(row.storageKey);
      await this.exports.update(row.id, { status: 'expired' });
    }
    if (old.length) this.logger.info({ expired: old.length }, 'old exports deleted');
    return old.length;
  }
}
