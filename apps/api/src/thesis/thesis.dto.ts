import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { THESIS_COMMENT_MAX, THESIS_STEP_NOTE_MAX, THESIS_STEPS_MAX, THESIS_SUBJECT_MAX } from '@carnet/domain';

export class DirectorBody {
  @ApiProperty({ enum: ['account', 'external'], description: 'account: an MSU with a Carnet account; external: another doctor, invited by mail' })
  @IsIn(['account', 'external'], { message: 'account (un MSU inscrit) ou external (un autre médecin)' })
  kind!: 'account' | 'external';

  @ApiPropertyOptional({ format: 'uuid', description: 'account: the MSU’s id, or else their e-mail' })
  @ValidateIf((d: DirectorBody) => d.kind === 'account' && d.email === undefined)
  @IsUUID('all', { message: 'UUID attendu' })
  userId?: string;

  @ApiPropertyOptional() @ValidateIf((d: DirectorBody) => d.kind === 'external') @IsString() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ description: 'external: where their links go; account: finds the MSU’s account when no userId is given' })
  @ValidateIf((d: DirectorBody) => d.kind === 'external' || d.userId === undefined)
  @IsString()
  @MaxLength(320)
  email?: string;
}

export class ThesisBody {
  @ApiProperty({ maxLength: THESIS_SUBJECT_MAX }) @IsString() @MaxLength(THESIS_SUBJECT_MAX, { message: `${THESIS_SUBJECT_MAX} caractères au plus` }) subject!: string;

  @ApiPropertyOptional({ type: DirectorBody, nullable: true, description: 'null: no director yet' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DirectorBody)
  director?: DirectorBody | null;
}

const DAY = { message: 'date invalide : une date AAAA-MM-JJ est attendue' };

export class ThesisStepBody {
  @ApiPropertyOptional({ example: '2027-03-01', nullable: true }) @IsOptional() @IsString(DAY) plannedOn?: string | null;
  @ApiPropertyOptional({ example: '2027-02-20', nullable: true, description: 'The day it was done; not in the future' }) @IsOptional() @IsString(DAY) doneOn?: string | null;
  @ApiPropertyOptional({ maxLength: THESIS_STEP_NOTE_MAX }) @IsOptional() @IsString() @MaxLength(THESIS_STEP_NOTE_MAX) note?: string;
}

export class ThesisCommentBody {
  @ApiProperty({ maxLength: THESIS_COMMENT_MAX }) @IsString() @MaxLength(THESIS_COMMENT_MAX, { message: '10 000 caractères au plus' }) body!: string;
}

/** The director's link travels in the body, never in a URL that a log would keep. */
export class DirectorTokenBody {
  @ApiProperty() @IsString() @MaxLength(200) token!: string;
}

export class DirectorCommentBody extends DirectorTokenBody {
  @ApiProperty({ maxLength: THESIS_COMMENT_MAX }) @IsString() @MaxLength(THESIS_COMMENT_MAX, { message: '10 000 caractères au plus' }) body!: string;
}

export class ThesisStepsTemplateBody {
  @ApiProperty({ type: [String], example: ['Fiche de thèse déposée', 'Comité : validation du sujet', 'Soutenance'] })
  @IsArray()
  @ArrayMaxSize(THESIS_STEPS_MAX)
  @IsString({ each: true })
  steps!: string[];
}
