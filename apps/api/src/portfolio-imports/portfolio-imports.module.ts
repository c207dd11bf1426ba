import { Module } from '@nestjs/common';
import { PortfolioImportsController } from './portfolio-imports.controller';
import { PortfolioImportsService } from './portfolio-imports.service';

@Module({ controllers: [PortfolioImportsController], providers: [PortfolioImportsService] })
export class PortfolioImportsModule {}
