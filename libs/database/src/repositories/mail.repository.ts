import { Injectable } from '@nestjs/common';
import { Database } from './database';

/** A reminder's key in `reminder_log`: who, which reminder, which period. */
export interface ReminderKey {
  userId: string;
  kind: string;
  period: string;
}

const KEY = `user_id = $1 AND kind = $2 AND period = $3`;
const keyOf = ({ userId, kind, period }: ReminderKey) => [userId, kind, period];

/**
 * The sending side of a reminder's outbox row (`reminder_log`): taken before the mail goes to
 * SMTP, given back on a refusal, marked sent after (the claim and the queueing are
 * ReminderRepository's).
 */
@Injectable()
export class MailRepository {
  constructor(private readonly db: Database) {}

  /** Takes the reminder for sending (`sending_at`): false when it is already taken, or gone. */
  async takeForSending(key: ReminderKey): Promise<boolean> {
    // (TypeORM answers an UPDATE with [rows, affected].)
    const [, taken] = (await this.db.query(`UPDATE reminder_log SET sending_at = now() WHERE ${KEY} AND sending_at IS NULL`, keyOf(key))) as unknown as [unknown[], number];
    return taken > 0;
  }

  /** Whether a taken reminder was left unsent (taken, then its sender was interrupted); false when sent or gone. */
  async interruptedWhileSending(key: ReminderKey): Promise<boolean> {
    const [row] = await this.db.query<{ sent_at: Date | null }>(`SELECT sent_at FROM reminder_log WHERE ${KEY}`, keyOf(key));
    return Boolean(row && !row.sent_at);
  }

  /** Gives the reminder back for a retry (SMTP refused it). */
  async giveBack(key: ReminderKey): Promise<void> {
    await this.db.query(`UPDATE reminder_log SET sending_at = NULL WHERE ${KEY}`, keyOf(key));
  }

  async markSent(key: ReminderKey): Promise<void> {
    await this.db.query(`UPDATE reminder_log SET sent_at = now() WHERE ${KEY}`, keyOf(key));
  }
}
