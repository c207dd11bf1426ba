import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AuditRepository } from '@carnet/database';

/**
 * Rolls the audit log's final days up into `audit_day` (entries by UTC day and action), from the
 * day after the last one rolled up to the last day that ended over an hour ago. Daily, and once
 * when a worker starts; one statement, so a run killed midway leaves nothing half done, and two
 * runs at once roll each day up once (the second waits on the mark, then finds nothing to do).
 * The admin's totals stay exact without it, only slower: what is not rolled up is counted.
 */
@Injectable()
export class AuditRollupProcessor {
  constructor(
    private readonly entries: AuditRepository,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('AuditRollupProcessor');
  }

  /** The number of entries rolled up, and the last day now rolled up (null: nothing new). */
  async run(): Promise<{ entries: number; through: string | null }> {
    const done = await this.entries.rollUp();
    if (done.through) this.logger.info(done, 'audit log rolled up');
    return done;
  }
}
