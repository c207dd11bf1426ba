import { Module } from '@nestjs/common';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { StageEvaluationsController } from './stage-evaluations.controller';
import { StageEvaluationsRepository } from './stage-evaluations.repository';
import { StageEvaluationsService } from './stage-evaluations.service';

@Module({ imports: [PortfoliosModule], controllers: [StageEvaluationsController], providers: [StageEvaluationsService, StageEvaluationsRepository] })
export class StageEvaluationsModule {}
