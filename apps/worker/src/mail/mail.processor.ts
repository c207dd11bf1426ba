import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { CARNET_CONFIG, CarnetConfig } from '@carnet/config';
import { MailRepository } from '@carnet/database';
import { MailSender } from '@carnet/mail';
import type { MailJob } from '@carnet/queue';

@Injectable()
export class MailProcessor implements OnModuleDestroy {
  private readonly sender: MailSender;

  constructor(
    @Inject(CARNET_CONFIG) config: CarnetConfig,
    private readonly reminders: MailRepository,
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
    const key = job.reminder;
    if (!(await this.reminders.takeForSending(key))) {
      if (await this.reminders.interruptedWhileSending(key)) this.logger.warn({ reminder: job.reminder }, 'reminder interrupted while being sent: not sent again');
      return;
    }
    try {
      await this.sender.send(job);
    } catch (error) {
      await this.reminders.giveBack(key);
      throw error;
    }
    await this.reminders.markSent(key);
  }

  onModuleDestroy(): void {
    this.sender.close();
  }
}
