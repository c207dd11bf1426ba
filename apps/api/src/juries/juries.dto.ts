import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { PHASES, Phase } from '@carnet/domain';

export class CreateJurySessionBody {
  @ApiProperty({ example: 'Commission de validation de la phase socle — juin 2027' }) @IsString() @Length(1, 200) title!: string;
  @ApiProperty({ enum: PHASES }) @IsIn(PHASES, { message: 'phase inconnue' }) phase!: Phase;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }, { message: 'date ISO 8601 attendue' }) opensAt!: string;
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }, { message: 'date ISO 8601 attendue' }) closesAt!: string;
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ArrayUnique() @IsUUID('all', { each: true }) memberIds!: string[];
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(1000) @ArrayUnique() @IsUUID('all', { each: true }) internIds!: string[];
}

export class DecisionBody {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'UUID attendu' }) internId!: string;
  @ApiProperty({ enum: ['validated', 'not_validated', 'deferred'] })
  @IsIn(['validated', 'not_validated', 'deferred'], { message: 'validated, not_validated ou deferred' })
  decision!: 'validated' | 'not_validated' | 'deferred';
  @ApiProperty() @IsString() @MaxLength(20000) comment!: string;
}

/** What an admin may change on a session that has not closed; the phase stays as created. */
export class UpdateJurySessionBody {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) title?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }, { message: 'date ISO 8601 attendue' }) opensAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsISO8601({ strict: true }, { message: 'date ISO 8601 attendue' }) closesAt?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ArrayUnique() @IsUUID('all', { each: true }) memberIds?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(1000) @ArrayUnique() @IsUUID('all', { each: true }) internIds?: string[];
}
