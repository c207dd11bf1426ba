import nodemailer, { Transporter } from 'nodemailer';
import type { MailJob } from '@carnet/queue';

export interface MailLogger {
  info(object: Record<string, unknown>, message: string): void;
}

/**
 * Outgoing mail over SMTP (SMTP_URL); without it, each message is written to the log instead,
 * so a local run shows the invitation links it would have sent. In production (`logContent`
 * false) only the addressee and subject are: a log line must never hold a working link, the admin
 * is shown it in the web app instead.
 */
export class MailSender {
  private readonly transport?: Transporter;

  constructor(
    private readonly options: { smtpUrl?: string; from: string; logContent?: boolean },
    private readonly logger: MailLogger,
  ) {
    this.transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : undefined;
  }

  async send(message: MailJob): Promise<void> {
    if (!this.transport) {
      const mail = this.options.logContent === false ? { to: message.to, subject: message.subject } : { to: message.to, subject: message.subject, text: message.text };
      this.logger.info({ mail }, 'mail (no SMTP_URL: logged, not sent)');
      return;
    }
    const { reminder, ...mail } = message;
    // A stable Message-ID for a reminder: should a send ever be repeated, mail clients see one message.
    const messageId = reminder ? `<reminder.${reminder.userId}.${reminder.kind}.${reminder.period.replace(/[^\w.-]/g, '_')}@carnet>` : undefined;
    await this.transport.sendMail({ from: this.options.from, ...mail, messageId });
  }

  close(): void {
    this.transport?.close();
  }
}
