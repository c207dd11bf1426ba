import { Module } from '@nestjs/common';
import { PortfolioTransfersController } from './portfolio-transfers.controller';
import { PortfolioTransfersService } from './portfolio-transfers.service';

@Module({ controllers: [PortfolioTransfersController], providers: [PortfolioTransfersService] })
export class PortfolioTransfersModule {}
