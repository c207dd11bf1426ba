import { Module } from '@nestjs/common';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { StagesController } from './stages.controller';
import { StagesService } from './stages.service';

@Module({ imports: [PortfoliosModule], controllers: [StagesController], providers: [StagesService] })
export class StagesModule {}
