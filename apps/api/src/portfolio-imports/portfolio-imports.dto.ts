import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

const asBoolean = ({ value }: { value: unknown }) => value === 'true' || value === '1' || value === true;

export class ImportPortfolioQuery {
  @ApiPropertyOptional({ description: 'Check the archive and say what would be imported; write nothing' })
  @IsOptional()
  @Transform(asBoolean)
  @IsBoolean()
  dryRun: boolean = false;

  @ApiPropertyOptional({ description: 'The intern of your faculty to import into; by default the one with the e-mail of the archive’s manifest' })
  @IsOptional()
  @IsUUID()
  internId?: string;

  @ApiPropertyOptional({ description: 'A signed archive: the fingerprint of the origin’s signing key, as the admin confirmed it (hex, separators ignored)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  keyFingerprint?: string;

  @ApiPropertyOptional({ description: 'An unsigned archive: the admin accepts that its hashes prove integrity, not origin' })
  @IsOptional()
  @Transform(asBoolean)
  @IsBoolean()
  acceptUnsigned: boolean = false;

  @ApiPropertyOptional({ description: 'The archive is of an intern whose e-mail is not the chosen intern’s: the admin confirms it is the same person' })
  @IsOptional()
  @Transform(asBoolean)
  @IsBoolean()
  acceptOtherIntern: boolean = false;
}
