import { Module } from '@nestjs/common';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { StageEvaluationsController } from './stage-evaluations.controller';
import { StageEvaluationsService } from './stage-evaluations.service';

@Module({ imports: [PortfoliosModule], controllers: [StageEvaluationsController], providers: [StageEvaluationsService] })
export class StageEvaluationsModule {}
