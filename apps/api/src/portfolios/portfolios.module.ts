import { Module } from '@nestjs/common';
import { JuriesController } from '../juries/juries.controller';
import { JuriesService } from '../juries/juries.service';
import { AssessmentsService } from './assessments.service';
import { PortfolioAccessService } from './portfolio-access.service';
import { PortfoliosController } from './portfolios.controller';
import { ProgressService } from '@carnet/portfolio';
import { RequirementsService } from './requirements.service';

@Module({
  controllers: [PortfoliosController, JuriesController],
  providers: [PortfolioAccessService, ProgressService, AssessmentsService, RequirementsService, JuriesService],
  exports: [PortfolioAccessService, ProgressService, AssessmentsService],
})
export class PortfoliosModule {}
