import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MEETING_TEXT_MAX } from '@carnet/domain';

const DAY_FORMAT = { message: 'date invalide : une date AAAA-MM-JJ est attendue' };
const TOO_LONG = { message: '10 000 caractères au plus' };

export class CreateMeetingBody {
  @ApiProperty({ example: '2026-11-30', description: 'The day it was held (Paris), not in the future' })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, DAY_FORMAT)
  heldOn!: string;

  @ApiProperty({ maxLength: MEETING_TEXT_MAX }) @IsString() @MaxLength(MEETING_TEXT_MAX, TOO_LONG) discussed!: string;
  @ApiProperty({ maxLength: MEETING_TEXT_MAX }) @IsString() @MaxLength(MEETING_TEXT_MAX, TOO_LONG) nextObjectives!: string;
}

export class UpdateMeetingBody {
  @ApiPropertyOptional({ example: '2026-11-30' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, DAY_FORMAT)
  heldOn?: string;

  @ApiPropertyOptional({ maxLength: MEETING_TEXT_MAX }) @IsOptional() @IsString() @MaxLength(MEETING_TEXT_MAX, TOO_LONG) discussed?: string;
  @ApiPropertyOptional({ maxLength: MEETING_TEXT_MAX }) @IsOptional() @IsString() @MaxLength(MEETING_TEXT_MAX, TOO_LONG) nextObjectives?: string;
}

export type { MeetingView, MeetingsView } from '@carnet/contracts';
