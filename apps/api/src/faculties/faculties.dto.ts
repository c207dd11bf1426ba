import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';

export class SwitchFacultyBody {
  @ApiProperty({ description: 'A faculty the signed-in person is a member of' })
  @IsUUID('all', { message: 'faculté inconnue' })
  facultyId!: string;
}

export class FirstAdminBody {
  @ApiProperty() @IsEmail({}, { message: 'adresse e-mail invalide' }) email!: string;
  @ApiProperty() @IsString() @Length(1, 100, { message: '1 à 100 caractères' }) firstName!: string;
  @ApiProperty() @IsString() @Length(1, 100, { message: '1 à 100 caractères' }) lastName!: string;
}

export class CreateFacultyBody {
  @ApiProperty({ example: 'lyon', description: 'Lower-case letters, digits and dashes: it appears in sign-in addresses' })
  @IsString()
  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'code invalide : 2 à 40 lettres minuscules, chiffres ou tirets' })
  code!: string;

  @ApiProperty({ example: 'DUMG de l’Université Claude Bernard Lyon 1' })
  @IsString()
  @Length(2, 200, { message: '2 à 200 caractères' })
  name!: string;

  @ApiProperty({ type: FirstAdminBody, description: 'The faculty’s first admin: invited by e-mail (or their existing password if they are a member elsewhere)' })
  @ValidateNested()
  @Type(() => FirstAdminBody)
  admin!: FirstAdminBody;
}

export class UpdateFacultyBody {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(2, 200, { message: '2 à 200 caractères' }) name?: string;
  @ApiPropertyOptional({ description: 'false: its members can no longer sign in (nothing is deleted)' })
  @IsOptional()
  @IsBoolean({ message: 'vrai ou faux attendu' })
  active?: boolean;
}
