import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsOptional, IsString, MaxLength } from 'class-validator';
import { COMPETENCE_CODES, EVALUATION_COMMENT_MAX, EVALUATION_LEVELS, FEEDBACK_COMMENT_MAX, FEEDBACK_RATING_CODES } from '@carnet/domain';

/*
 * Shapes only. The answers of a form (every competence at a known level, every rubric rated 1 to
 * 5, the yes-or-no questions) are checked by the domain, all at once, so that one refusal names
 * every question left unanswered rather than the first the validation pipe meets.
 */

export class EvaluationBody {
  @ApiProperty({ description: `Competence → level: every one of ${COMPETENCE_CODES.join(', ')}, each ${EVALUATION_LEVELS.join(' | ')}`, example: { premier_recours: 'competent' } })
  @Allow()
  levels!: Record<string, string>;

  @ApiPropertyOptional({ maxLength: EVALUATION_COMMENT_MAX }) @IsOptional() @IsString({ message: 'texte attendu' }) @MaxLength(EVALUATION_COMMENT_MAX, { message: '5000 caractères au plus' }) comment?: string;

  @ApiProperty({ description: 'Whether the evaluator proposes that the stage be validated' })
  @Allow()
  validationProposed!: boolean;
}

export class EvaluationTokenBody {
  @ApiProperty({ description: 'The token from the link’s fragment (#jeton=…)' }) @IsString({ message: 'jeton attendu' }) @MaxLength(200) token!: string;
}

export class LinkEvaluationBody extends EvaluationBody {
  @ApiProperty() @IsString({ message: 'jeton attendu' }) @MaxLength(200) token!: string;
}

export class EvaluatorBody {
  @ApiProperty({ example: 'Dr Paul Lacaze' }) @IsString({ message: 'le nom de l’évaluateur est requis' }) @MaxLength(200, { message: '200 caractères au plus' }) name!: string;
  @ApiProperty({ example: 'p.lacaze@ch-auch.fr' }) @IsString({ message: 'adresse e-mail invalide' }) @MaxLength(320, { message: 'adresse e-mail invalide' }) email!: string;
}

export class FeedbackBody {
  @ApiProperty({ description: `Each of ${FEEDBACK_RATING_CODES.join(', ')}, from 1 (très insatisfaisant) to 5 (très satisfaisant)`, example: { supervision: 4 } })
  @Allow()
  ratings!: Record<string, number>;

  @ApiProperty({ description: 'Housed by the hospital or an MSU' }) @Allow() housingProvided!: boolean;
  @ApiProperty({ description: 'A vehicle was needed to reach the practices' }) @Allow() vehicleRequired!: boolean;
  @ApiPropertyOptional({ maxLength: FEEDBACK_COMMENT_MAX }) @IsOptional() @IsString({ message: 'texte attendu' }) @MaxLength(FEEDBACK_COMMENT_MAX, { message: '3000 caractères au plus' }) comment?: string;
}
