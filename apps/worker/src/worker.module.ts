import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { InfrastructureModule, ResolvedConfig } from '@carnet/infrastructure';
import { ExportProcessor } from './exports/export.processor';
import { PortfolioReader } from './exports/portfolio.reader';
import { CARNET_METRICS, CarnetMetrics } from '@carnet/metrics';
import { ProgressService } from '@carnet/portfolio';
import { MailProcessor } from './mail/mail.processor';
import { RemindersProcessor } from './reminders/reminders.processor';
import { RetentionProcessor } from './retention/retention.processor';
import { AuditRollupProcessor } from './audit/audit-rollup.processor';
import { AttachmentScanProcessor } from './scans/attachment-scan.processor';
import { WorkerService } from './worker.service';
import { SearchIndexProcessor } from './search/search-index.processor';

@Module({})
export class WorkerModule {
  static forRoot(config: ResolvedConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { level: config.logLevel } }), InfrastructureModule.forRoot(config)],
      providers: [{ provide: CARNET_METRICS, useFactory: () => new CarnetMetrics('worker') }, MailProcessor, PortfolioReader, ExportProcessor, ProgressService, RemindersProcessor, RetentionProcessor, AuditRollupProcessor, AttachmentScanProcessor, SearchIndexProcessor, WorkerService],
    };
  }
}
