import { Module } from '@nestjs/common';
import { TutorshipsController } from './tutorships.controller';
import { TutorshipsService } from './tutorships.service';

@Module({ controllers: [TutorshipsController], providers: [TutorshipsService], exports: [TutorshipsService] })
export class TutorshipsModule {}
