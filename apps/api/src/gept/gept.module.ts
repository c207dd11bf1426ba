import { Module } from '@nestjs/common';
import { GeptController } from './gept.controller';
import { GeptService } from './gept.service';

@Module({ controllers: [GeptController], providers: [GeptService] })
export class GeptModule {}
