import { Module } from '@nestjs/common';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { JuriesController } from './juries.controller';
import { JuriesService } from './juries.service';

/** Jury sessions, their members and interns, the portfolio a member reads and the decisions. */
@Module({ imports: [PortfoliosModule], controllers: [JuriesController], providers: [JuriesService] })
export class JuriesModule {}
