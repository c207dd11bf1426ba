import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { CARNET_CONFIG, CarnetConfig } from '@carnet/config';
import { AuditEntry } from '@carnet/database';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CARNET_CONFIG) private readonly config: CarnetConfig,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('RetentionProcessor');
  }

  async purge(now = new Date()): Promise<number> {
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - this.config.portfolioRetentionYears);
    const interns: { id: string }[] = await this.dataSource.query(
      `SELECT u.id FROM app_user u
        WHERE 'intern' = ANY(u.roles) AND NOT u.active
          AND EXISTS (SELECT 1 FROM trace t WHERE t.intern_id = u.id)
          AND NOT EXISTS (SELECT 1 FROM trace t WHERE t.intern_id = u.id AND greatest(t.updated_at, coalesce(t.validated_at, t.updated_at)) >= $1)`,
      [cutoff],
    );
    for (const { id } of interns) {
      const keys = await this.dataSource.transaction(async (manager) => {
        const files: { storage_key: string }[] = await manager.query(
          `SELECT a.storage_key FROM attachment a JOIN trace t ON t.id = a.trace_id WHERE t.intern_id = $1
           UNION ALL SELECT storage_key FROM portfolio_export WHERE intern_id = $1 AND storage_key IS NOT NULL`,
          [id],
        );
        const [{ count }] = await manager.query(`WITH d AS (DELETE FROM trace WHERE intern_id = $1 RETURNING 1) SELECT count(*)::int AS count FROM d`, [id]);
        await manager.query(`DELETE FROM portfolio_export WHERE intern_id = $1`, [id]);
        const entry = manager.create(AuditEntry, { actorId: null, action: 'retention.purged', subjectType: 'user', subjectId: id, ip: null, requestId: null });
        entry.details = { traces: count, files: files.length, retentionYears: this.config.portfolioRetentionYears };
        await manager.getRepository(AuditEntry).save(entry, { reload: false });
        return files.map((f) => f.storage_key);
      });
      await Promise.all(keys.map((key) => this.storage.delete(key).catch(() => undefined)));
    }
    // Housekeeping of technical data with no use once expired.
    await this.dataSource.query(`DELETE FROM session WHERE expires_at < $1`, [new Date(now.getTime() - 30 * 86400_000)]);
    await this.dataSource.query(`DELETE FROM one_time_token WHERE expires_at < $1`, [new Date(now.getTime() - 30 * 86400_000)]);
    await this.dataSource.query(`DELETE FROM reminder_log WHERE claimed_at < $1`, [new Date(now.getTime() - 2 * 365 * 86400_000)]);
    if (interns.length) this.logger.info({ interns: interns.length }, 'portfolios purged after retention');
    return interns.length;
  }
}
