import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { COMPETENCE_CODES, EVALUATION_COMMENT_MAX, EVALUATION_LEVELS, FEEDBACK_COMMENT_MAX, FEEDBACK_RATING_CODES } from '@carnet/domain';

/*
 * Shapes only: what each field must contain (every competence at a known level, every rubric
 * rated 1 to 5) is the domain's rule, answered as 422 with the path of each fault.
 */

export class EvaluationBody {
  @ApiProperty({ description: `Competence → level: every one of ${COMPETENCE_CODES.join(', ')}, each ${EVALUATION_LEVELS.join(' | ')}`, example: { premier_recours: 'competent' } })
  @IsObject({ message: 'un niveau par compétence est attendu' })
  levels!: Record<string, string>;

  @ApiPropertyOptional({ maxLength: EVALUATION_COMMENT_MAX }) @IsOptional() @IsString({ message: 'texte attendu' }) @MaxLength(EVALUATION_COMMENT_MAX, { message: '5000 caractères au plus' }) comment?: string;

  @ApiProperty({ description: 'Whether the evaluator proposes that the stage be validated' })
  @IsBoolean({ message: 'indiquez si vous proposez la validation du stage' })
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
  @IsObject({ message: 'une note de 1 à 5 par rubrique est attendue' })
  ratings!: Record<string, number>;

  @ApiProperty({ description: 'Housed by the hospital or an MSU' }) @IsBoolean({ message: 'indiquez si vous étiez logé' }) housingProvided!: boolean;
  @ApiProperty({ description: 'A vehicle was needed to reach the practices' }) @IsBoolean({ message: 'indiquez si un véhicule était nécessaire' }) vehicleRequired!: boolean;
  @ApiPropertyOptional({ maxLength: FEEDBACK_COMMENT_MAX }) @IsOptional() @IsString({ message: 'texte attendu' }) @MaxLength(FEEDBACK_COMMENT_MAX, { message: '3000 caractères au plus' }) comment?: string;
}
