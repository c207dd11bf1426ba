import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { COMPETENCE_CODES, EXTRA_FAMILLE, FAMILLE_CODES, TRACE_KINDS, TRACE_STATUSES, TraceKind, TraceStatus } from '@carnet/domain';
import type { BlockDelta } from '@carnet/editor';
import { KeysetPageQuery } from '../../common/paging';
import { RawJson } from '../../common/validation.pipe';

const FAMILLES_ALLOWED = [...FAMILLE_CODES, EXTRA_FAMILLE];

export class CreateTraceBody {
  @ApiProperty({ enum: TRACE_KINDS })
  @IsIn(TRACE_KINDS, { message: 'type de trace inconnu (rsca, trace, gept, stage_review, other)' })
  kind!: TraceKind;

  @ApiProperty({ example: 'Une douleur thoracique en fin de consultation' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiPropertyOptional({ description: 'tiptap JSON document; an RSCA without one starts from its six-section template' })
  @IsOptional()
  @IsObject()
  @RawJson()
  content?: Record<string, unknown>;

  @ApiProperty({ enum: COMPETENCE_CODES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(6)
  @IsIn(COMPETENCE_CODES, { each: true, message: 'compétence inconnue' })
  competences!: string[];

  @ApiProperty({ enum: FAMILLES_ALLOWED, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(12)
  @IsIn(FAMILLES_ALLOWED, { each: true, message: 'famille de situations inconnue' })
  familles!: string[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  stageId?: string | null;
}

export class UpdateTraceBody {
  @ApiPropertyOptional({ enum: TRACE_KINDS }) @IsOptional() @IsIn(TRACE_KINDS, { message: 'type de trace inconnu' }) kind?: TraceKind;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 300) title?: string;
  @ApiPropertyOptional({ description: 'tiptap JSON document, checked against the editor schema' }) @IsOptional() @IsObject() @RawJson() content?: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      'Instead of `content`: the change since the version named by If-Match, `{ blocks, from, to, insert }`: that version has `blocks` top-level blocks, ' +
      'those from `from` to `to` (excluded) become the `insert` list of blocks. The result is checked as a whole document is; a delta that does not fit is refused (422) and the whole document can be sent instead.',
    example: { blocks: 24, from: 5, to: 6, insert: [{ type: 'paragraph', content: [{ type: 'text', text: 'Le paragraphe réécrit.' }] }] },
  })
  @IsOptional()
  @IsObject()
  @RawJson()
  contentDelta?: BlockDelta;

  @ApiPropertyOptional({ enum: COMPETENCE_CODES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(COMPETENCE_CODES, { each: true, message: 'compétence inconnue' })
  competences?: string[];

  @ApiPropertyOptional({ enum: FAMILLES_ALLOWED, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(FAMILLES_ALLOWED, { each: true, message: 'famille de situations inconnue' })
  familles?: string[];

  @ApiPropertyOptional({ format: 'uuid', nullable: true }) @IsOptional() @IsUUID() stageId?: string | null;
}

export class ListTracesQuery extends KeysetPageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() internId?: string;
  @ApiPropertyOptional({ enum: TRACE_STATUSES }) @IsOptional() @IsIn(TRACE_STATUSES) status?: TraceStatus;
  @ApiPropertyOptional({ enum: TRACE_KINDS }) @IsOptional() @IsIn(TRACE_KINDS) kind?: TraceKind;
  @ApiPropertyOptional({ enum: COMPETENCE_CODES }) @IsOptional() @IsIn(COMPETENCE_CODES) competence?: string;
  @ApiPropertyOptional({ enum: FAMILLES_ALLOWED }) @IsOptional() @IsIn(FAMILLES_ALLOWED) famille?: string;
  @ApiPropertyOptional({ enum: ['updated', 'submitted'], description: '`submitted`: oldest submission first (a review inbox)' })
  @IsOptional()
  @IsIn(['updated', 'submitted'])
  sort?: 'updated' | 'submitted';

  @ApiPropertyOptional({ description: 'French full-text search: words, "a phrase", prefix*' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ReviewCommentBody {
  @ApiProperty() @IsString() @Length(1, 10000) comment!: string;
}

export class ValidateBody {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 10000) comment?: string;
}

export class AnchorBody {
  @ApiProperty() @IsInt() @Min(0) from!: number;
  @ApiProperty() @IsInt() @Min(0) to!: number;
  @ApiProperty({ description: 'The quoted passage, kept so the comment still shows it after the text moves' })
  @IsString()
  @Length(1, 2000)
  quote!: string;
}

export class CreateCommentBody {
  @ApiProperty() @IsString() @Length(1, 10000) body!: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() parentId?: string;
  @ApiPropertyOptional({ type: AnchorBody })
  @IsOptional()
  @ValidateNested()
  @Type(() => AnchorBody)
  anchor?: AnchorBody;
}
