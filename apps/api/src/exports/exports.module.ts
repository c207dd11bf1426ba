import { Module } from '@nestjs/common';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

@Module({ imports: [PortfoliosModule], controllers: [ExportsController], providers: [ExportsService] })
export class ExportsModule {}
