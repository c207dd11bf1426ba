import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { PHASES, Phase } from '@carnet/domain';

export class ProgressQuery {
  @ApiPropertyOptional({ enum: PHASES, description: 'Defaults to the phase the intern is in today' })
  @IsOptional()
  @IsIn(PHASES, { message: 'phase inconnue (socle, approfondissement, consolidation)' })
  phase?: Phase;

  @ApiPropertyOptional({ format: 'uuid', description: 'Count only the traces linked to this stage' })
  @IsOptional()
  @IsUUID()
  stageId?: string;
}

export class AssessmentBody {
  @ApiProperty({ enum: PHASES }) @IsIn(PHASES, { message: 'phase inconnue' }) phase!: Phase;

  @ApiProperty({ description: 'A level per competence: novice, intermediaire, competent, expert (end of consolidation)', example: { relation: 'competent' } })
  @IsObject()
  levels!: Record<string, string>;

  @ApiProperty() @IsString() @MaxLength(20000) comment!: string;

  @ApiProperty({ enum: ['favorable', 'reserve', 'defavorable'], description: 'Recommendation to the commission' })
  @IsIn(['favorable', 'reserve', 'defavorable'], { message: 'favorable, reserve ou defavorable' })
  recommendation!: 'favorable' | 'reserve' | 'defavorable';
}

export class RulesBody {
  @ApiProperty({ example: { rsca: 1 } }) @IsObject() kinds!: Record<string, number>;
  @ApiProperty() @IsInt() @Min(0) @Max(200) validatedTraces!: number;
  @ApiProperty({ enum: ['phase', 'semester'] }) @IsIn(['phase', 'semester']) per!: 'phase' | 'semester';
  @ApiProperty() @IsInt() @Min(0) @Max(12) minFamilles!: number;
  @ApiProperty() @IsInt() @Min(0) @Max(6) minCompetences!: number;
  @ApiPropertyOptional({ description: 'Co-signed tutor meetings per year of the phase; absent or 0: none asked' }) @IsOptional() @IsInt() @Min(0) @Max(12) tutorMeetingsPerYear?: number;
  @ApiPropertyOptional({ description: 'GEPT meetings attended per year of the phase, in the intern’s GEPT groups; absent or 0: none asked' }) @IsOptional() @IsInt() @Min(0) @Max(24) geptMeetingsPerYear?: number;
  @ApiPropertyOptional({ description: 'Every mandatory teaching session of the phase already held attended or its absence justified; absent or false: not asked' }) @IsOptional() @IsBoolean() mandatoryTeaching?: boolean;
}

export class RequirementBody {
  @ApiProperty({ type: RulesBody }) @ValidateNested() @Type(() => RulesBody) rules!: RulesBody;
}
