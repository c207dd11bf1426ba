import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { CARNET_CONFIG, CarnetConfig } from '@carnet/config';
import { AuditRepository, RetentionRepository, Transactions } from '@carnet/database';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';

/**
 * The retention purge (daily): the portfolio of an intern who has left (account closed) is kept
 * PORTFOLIO_RETENTION_YEARS after its last activity, then its traces, revisions, comments,
 * attachments and exports are deleted. Jury decisions and assessments stay (they are the record
 * of the DES validation), as does the audit log. Expired sessions and links (after 30 days) and
 * the reminder log (after 2 years) go too.
 */
@Injectable()
export class RetentionProcessor {
  constructor(
    private readonly retention: RetentionRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditRepository,
    @Inject(CARNET_CONFIG) private readonly config: CarnetConfig,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('RetentionProcessor');
  }

  async purge(now = new Date()): Promise<number> {
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - this.config.portfolioRetentionYears);
    const interns = await this.retention.internsPastRetention(cutoff);
    for (const id of interns) {
      const keys = await this.transactions.run(async (tx) => {
        const files = await this.retention.storedFilesOf(id, tx);
        const count = await this.retention.deleteTracesOf(id, tx);
        await this.retention.deleteExportsOf(id, tx);
        await this.audit.record(
          { userId: null, ip: null, requestId: null },
          { action: 'retention.purged', subjectType: 'user', subjectId: id, details: { traces: count, files: files.length, retentionYears: this.config.portfolioRetentionYears } },
          tx,
        );
        return files;
      });
      await Promise.all(keys.map((key) => this.storage.delete(key).catch(() => undefined)));
    }
    // Housekeeping of technical data with no use once expired.
    await this.retention.deleteSessionsExpiredBefore(new Date(now.getTime() - 30 * 86400_000));
    await this.retention.deleteTokensExpiredBefore(new Date(now.getTime() - 30 * 86400_000));
    await this.retention.deleteRemindersClaimedBefore(new Date(now.getTime() - 2 * 365 * 86400_000));
    if (interns.length) this.logger.info({ interns: interns.length }, 'portfolios purged after retention');
    return interns.length;
  }
}
