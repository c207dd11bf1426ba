import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { STAGE_KINDS, StageKind } from '@carnet/domain';
import { PageQuery } from '../common/paging';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class SupervisorBody {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'UUID attendu' }) tutorId!: string;
  @ApiProperty() @IsBoolean() referent!: boolean;
  @ApiProperty({ minimum: 1, maximum: 10 }) @IsInt() @Min(1) @Max(10) halfDaysPerWeek!: number;
}

export class CreateStageBody {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'UUID attendu' }) internId!: string;
  @ApiProperty({ enum: STAGE_KINDS }) @IsIn(STAGE_KINDS, { message: 'type de stage inconnu' }) kind!: StageKind;
  @ApiProperty({ minimum: 1, maximum: 8 }) @IsInt() @Min(1) @Max(8) semester!: number;
  @ApiProperty({ example: '2026-11-02' }) @Matches(ISO_DATE, { message: 'date AAAA-MM-JJ attendue' }) @IsISO8601() startsOn!: string;
  @ApiProperty({ example: '2027-05-02' }) @Matches(ISO_DATE, { message: 'date AAAA-MM-JJ attendue' }) @IsISO8601() endsOn!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) place?: string;
  @ApiPropertyOptional({ description: 'Months of psychiatric / mental-health training this stage counts for' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(6)
  psyMonths?: number;
  @ApiProperty({ type: [SupervisorBody] }) @IsArray() @ArrayMaxSize(6) @ValidateNested({ each: true }) @Type(() => SupervisorBody) supervisors!: SupervisorBody[];
}

export class ChangeSupervisorsBody {
  @ApiProperty({ example: '2027-02-01', description: 'First day of the new supervision' })
  @Matches(ISO_DATE, { message: 'date AAAA-MM-JJ attendue' })
  @IsISO8601()
  from!: string;
  @ApiProperty({ type: [SupervisorBody] }) @IsArray() @ArrayMaxSize(6) @ValidateNested({ each: true }) @Type(() => SupervisorBody) supervisors!: SupervisorBody[];
}

export class PhaseBody {
  @ApiProperty({ minimum: 1, maximum: 5 }) @IsInt() @Min(1) @Max(5) phase!: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) note?: string;
}

export class DifficultyBody {
  @ApiProperty() @IsString() @Length(1, 10000) body!: string;
}

export class ListStagesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() internId?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 8 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(8) semester?: number;
  @ApiPropertyOptional({ enum: STAGE_KINDS }) @IsOptional() @IsIn(STAGE_KINDS, { message: 'type de stage inconnu' }) kind?: StageKind;
}

export class FeesQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}
