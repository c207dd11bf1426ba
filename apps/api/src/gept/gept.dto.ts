import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
// Bounds here only stop oversized bodies; the domain rules answer in French, with the path of each fault.
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';


export class GeptGroupBody {
  @ApiProperty({ example: 'GEPT Béziers — groupe A' }) @IsString() @MaxLength(200) title!: string;
  @ApiProperty({ example: 2026, description: 'The academic year it runs (its November start)' }) @IsInt() year!: number;
  @ApiProperty({ format: 'uuid', description: 'The MSU who leads it' }) @IsUUID('all', { message: 'UUID attendu' }) leadId!: string;
  @ApiProperty({ type: [String], description: '6 to 10 interns' })
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true, message: 'UUID attendu' })
  internIds!: string[];
}

export class GeptMeetingBody {
  @ApiProperty({ example: '2026-12-10' }) @IsString() heldOn!: string;
  @ApiProperty({ type: [String], description: 'The cases discussed, a short text each' })
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(5000, { each: true })
  cases!: string[];
}

export class GeptMeetingPatchBody {
  @ApiPropertyOptional({ example: '2026-12-10' }) @IsOptional() @IsString() heldOn?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(5000, { each: true })
  cases?: string[];
}

export class AttendanceBody {
  @ApiProperty({ description: 'Present (true) or absent (false)' }) @IsBoolean() present!: boolean;
}

export class TraceMeetingBody {
  @ApiProperty({ format: 'uuid', nullable: true, description: 'The GEPT meeting the trace writes up; null unlinks it' })
  @ValidateIf((b: TraceMeetingBody) => b.meetingId !== null)
  @IsUUID('all', { message: 'UUID attendu' })
  meetingId!: string | null;
}
