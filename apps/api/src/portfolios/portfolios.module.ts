import { Module } from '@nestjs/common';
import { AssessmentsService } from './assessments.service';
import { PortfolioAccessService } from './portfolio-access.service';
import { PortfoliosController } from './portfolios.controller';
import { ProgressService } from '@carnet/portfolio';
import { RequirementsService } from './requirements.service';

@Module({
  controllers: [PortfoliosController],
  providers: [PortfolioAccessService, ProgressService, AssessmentsService, RequirementsService],
  exports: [PortfolioAccessService, ProgressService, AssessmentsService],
})
export class PortfoliosModule {}
