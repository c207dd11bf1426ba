import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/paging';

export class ReleasePortfolioBody {
  @ApiProperty({ description: 'An intern of the caller’s faculty' })
  @IsUUID('all', { message: 'identifiant invalide' })
  internId!: string;

  @ApiProperty({ example: 'faculte-b', description: 'The code of the faculty the intern moves to' })
  @IsString()
  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'code de faculté invalide' })
  toFacultyCode!: string;
}

export class AcceptPortfolioBody {
  @ApiPropertyOptional({ description: 'The caller’s faculty’s row of the same person (same e-mail); found by e-mail when left out' })
  @IsOptional()
  @IsUUID('all', { message: 'identifiant invalide' })
  internId?: string;
}

export class RefusePortfolioBody {
  @ApiPropertyOptional({ description: 'Why, for the releasing faculty' })
  @IsOptional()
  @IsString()
  @MaxLength(1000, { message: '1 000 caractères au plus' })
  reason?: string;
}

export class ListPortfolioTransfersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['outgoing', 'incoming'] })
  @IsOptional()
  @IsIn(['outgoing', 'incoming'], { message: 'outgoing ou incoming' })
  direction?: 'outgoing' | 'incoming';

  @ApiPropertyOptional({ enum: ['pending', 'accepted', 'refused', 'cancelled'] })
  @IsOptional()
  @IsIn(['pending', 'accepted', 'refused', 'cancelled'], { message: 'statut inconnu' })
  status?: 'pending' | 'accepted' | 'refused' | 'cancelled';
}
