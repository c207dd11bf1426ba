import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class CreateUppBody {
  @ApiProperty({ example: 'montpellier', description: 'Lower-case code, referenced everywhere' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'code en minuscules, chiffres, - et _ (63 caractères au plus)' })
  code!: string;

  @ApiProperty({ example: 'Montpellier' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export interface UppView {
  id: string;
  code: string;
  name: string;
}
