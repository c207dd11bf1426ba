import { Module } from '@nestjs/common';
import { PortfolioAccessService } from '../portfolios/portfolio-access.service';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

@Module({ controllers: [ExportsController], providers: [ExportsService, PortfolioAccessService] })
export class ExportsModule {}
