import { Module } from '@nestjs/common';
import { BrandingController } from './branding.controller';
import { UppsController } from './upps.controller';
import { UppsService } from './upps.service';

@Module({ controllers: [UppsController, BrandingController], providers: [UppsService], exports: [UppsService] })
export class StructureModule {}
