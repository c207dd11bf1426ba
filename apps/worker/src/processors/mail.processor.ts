import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { CARNET_CONFIG, CarnetConfig } from '@carnet/config';
import { MailSender } from '@carnet/mail';
import type { MailJob } from '@carnet/queue';

@Injectable()
export class MailProcessor implements OnModuleDestroy {
  private readonly sender: MailSender;

  constructor(@Inject(CARNET_CONFIG) config: CarnetConfig, logger: PinoLogger) {
    logger.setContext('MailProcessor');
    this.sender = new MailSender(config.mail, logger);
  }

  async send(job: MailJob): Promise<void> {
    await this.sender.send(job);
  }

  onModuleDestroy(): void {
    this.sender.close();
  }
}
