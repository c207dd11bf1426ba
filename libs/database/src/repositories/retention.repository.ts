import { Injectable } from '@nestjs/common';
import { Database, Tx } from './database';

/**
 * The retention purge's statements: the portfolios past retention, their deletion (traces with
 * what hangs on them, exports), and the housekeeping of expired technical rows.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly db: Database) {}

  /** The interns who have left (account closed) with traces, none of them active since `cutoff`. */
  async internsPastRetention(cutoff: Date): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT u.id FROM app_user u
        WHERE 'intern' = ANY(u.roles) AND NOT u.active
          AND EXISTS (SELECT 1 FROM trace t WHERE t.intern_id = u.id)
          AND NOT EXISTS (SELECT 1 FROM trace t WHERE t.intern_id = u.id AND greatest(t.updated_at, coalesce(t.validated_at, t.updated_at)) >= $1)`,
      [cutoff],
    );
    return rows.map((row) => row.id);
  }

  /** The storage keys of the intern's attachments and exports. */
  async storedFilesOf(internId: string, tx?: Tx): Promise<string[]> {
    const files = await this.db.query<{ storage_key: string }>(
      `SELECT a.storage_key FROM attachment a JOIN trace t ON t.id = a.trace_id WHERE t.intern_id = $1
           UNION ALL SELECT storage_key FROM portfolio_export WHERE intern_id = $1 AND storage_key IS NOT NULL`,
      [internId],
      tx,
    );
    return files.map((f) => f.storage_key);
  }

  /** Deletes the intern's traces (their revisions, comments and attachments go with them): how many. */
  async deleteTracesOf(internId: string, tx?: Tx): Promise<number> {
    const [{ count }] = await this.db.query<{ count: number }>(`WITH d AS (DELETE FROM trace WHERE intern_id = $1 RETURNING 1) SELECT count(*)::int AS count FROM d`, [internId], tx);
    return count;
  }

  async deleteExportsOf(internId: string, tx?: Tx): Promise<void> {
    await this.db.query(`DELETE FROM portfolio_export WHERE intern_id = $1`, [internId], tx);
  }

  async deleteSessionsExpiredBefore(before: Date): Promise<void> {
    await this.db.query(`DELETE FROM session WHERE expires_at < $1`, [before]);
  }

  async deleteTokensExpiredBefore(before: Date): Promise<void> {
    await this.db.query(`DELETE FROM one_time_token WHERE expires_at < $1`, [before]);
  }

  async deleteRemindersClaimedBefore(before: Date): Promise<void> {
    await this.db.query(`DELETE FROM reminder_log WHERE claimed_at < $1`, [before]);
  }
}
