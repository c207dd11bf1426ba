import { Module } from '@nestjs/common';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { TutorMeetingsController } from './tutor-meetings.controller';
import { TutorMeetingsService } from './tutor-meetings.service';

@Module({ imports: [PortfoliosModule], controllers: [TutorMeetingsController], providers: [TutorMeetingsService] })
export class TutorMeetingsModule {}
