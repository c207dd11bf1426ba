import { Module } from '@nestjs/common';
import { UppsController } from './upps.controller';
import { UppsService } from './upps.service';

@Module({ controllers: [UppsController], providers: [UppsService], exports: [UppsService] })
export class StructureModule {}
