import { Module } from '@nestjs/common';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { ThesisController } from './thesis.controller';
import { ThesisService } from './thesis.service';

@Module({ imports: [PortfoliosModule], controllers: [ThesisController], providers: [ThesisService] })
export class ThesisModule {}
