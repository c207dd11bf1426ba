import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/paging';

export class CreateTutorshipBody {
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'UUID attendu' }) tutorId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID('all', { message: 'UUID attendu' }) internId!: string;
}

export class EndTutorshipBody {
  @ApiProperty({ example: 'Changement de tuteur à la demande de l’interne' })
  @IsString()
  @Length(3, 500)
  reason!: string;
}

export class ListTutorshipsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() tutorId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() internId?: string;
  @ApiPropertyOptional({ description: 'Year of DES entry of the intern', example: 2025 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1990) @Max(2100) promotion?: number;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export interface TutorshipView {
  id: string;
  tutorId: string;
  internId: string;
  promotion: number;
  active: boolean;
  startedAt: string;
  endedAt: string | null;
  endReason: string | null;
  tutor: { id: string; displayName: string };
  intern: { id: string; displayName: string };
}
