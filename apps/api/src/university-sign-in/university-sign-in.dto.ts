import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9_:.-]{0,99}$/;

export class UniversitySignInBody {
  @ApiProperty({ enum: ['cas', 'oidc'] })
  @IsIn(['cas', 'oidc'])
  protocol!: 'cas' | 'oidc';

  @ApiProperty()
  @IsBoolean()
  enabled!: boolean;

  @ApiPropertyOptional({ nullable: true, description: 'CAS: the server’s base address, e.g. https://cas.umontpellier.fr/cas' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(500)
  casUrl?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'OpenID Connect: the issuer, e.g. https://login.umontpellier.fr/realms/etu' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(500)
  issuer?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  clientId?: string | null;

  @ApiPropertyOptional({ description: 'Write-only: stored encrypted, never returned. Absent: the stored one stays; empty: removed.', writeOnly: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  clientSecret?: string;

  @ApiProperty({ example: 'mail', description: 'The CAS attribute or OpenID claim carrying the e-mail address.' })
  @IsString()
  @Matches(ATTRIBUTE, { message: 'nom d’attribut invalide' })
  emailAttribute!: string;

  @ApiProperty({ example: 'user', description: 'The CAS attribute (`user`: the CAS user name) or OpenID claim (`sub`) carrying the stable identifier.' })
  @IsString()
  @Matches(ATTRIBUTE, { message: 'nom d’attribut invalide' })
  subjectAttribute!: string;

  @ApiProperty({ example: 'Se connecter avec l’ENT de l’Université de Montpellier' })
  @IsString()
  @MinLength(3)
  @MaxLength(120)
  buttonLabel!: string;

  @ApiProperty({ description: 'Whether interns may still sign in with a password (tutors always may).' })
  @IsBoolean()
  internPasswordsAllowed!: boolean;
}

export class LinkTokenBody {
  @ApiProperty({ description: 'The token of the /liaison-universitaire link.' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token!: string;
}
