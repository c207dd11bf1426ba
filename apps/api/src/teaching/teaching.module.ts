import { Module } from '@nestjs/common';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { TeachingController } from './teaching.controller';
import { TeachingService } from './teaching.service';

@Module({ imports: [PortfoliosModule], controllers: [TeachingController], providers: [TeachingService] })
export class TeachingModule {}
