import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { CARNET_CONFIG, CarnetConfig } from '@carnet/config';
import { MailSender } from '@carnet/mail';
import type { MailJob } from '@carnet/queue';

const KEY = `user_id = $1 AND kind = $2 AND period = $3`;

@Injectable()
export class MailProcessor implements OnModuleDestroy {
  private readonly sender: MailSender;

  constructor(
    @Inject(CARNET_CONFIG) config: CarnetConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('MailProcessor');
    this.sender = new MailSender(config.mail, logger);
  }

  /**
   * Sends a mail. A reminder is sent at most once: its outbox row is taken (`sending_at`) before
   * the mail goes to SMTP, so a job run twice (a duplicate enqueue, a retry after a worker was
   * killed) finds it taken and stops. An SMTP refusal gives it back for the retry. A worker killed
   * while talking to SMTP leaves the outcome unknown: SMTP cannot tell whether the message was
   * accepted, so it is logged and not sent again rather than risk a second copy.
   */
  async send(job: MailJob): Promise<void> {
    if (!job.reminder) return this.sender.send(job);
    const key = [job.reminder.userId, job.reminder.kind, job.reminder.period];
    // (TypeORM answers an UPDATE with [rows, affected].)
    const [, taken]: [unknown[], number] = await this.dataSource.query(`UPDATE reminder_log SET sending_at = now() WHERE ${KEY} AND sending_at IS NULL`, key);
    if (!taken) {
      const [row] = await this.dataSource.query(`SELECT sent_at FROM reminder_log WHERE ${KEY}`, key);
      if (row && !row.sent_at) this.logger.warn({ reminder: job.reminder }, 'reminder interrupted while being sent: not sent again');
      return;
    }
    try {
      await this.sender.send(job);
    } catch (error) {
      await this.dataSource.query(`UPDATE reminder_log SET sending_at = NULL WHERE ${KEY}`, key);
      throw error;
    }
    await this.dataSource.query(`UPDATE reminder_log SET sent_at = now() WHERE ${KEY}`, key);
  }

  onModuleDestroy(): void {
    this.sender.close();
  }
}
