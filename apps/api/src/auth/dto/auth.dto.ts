import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginBody {
  @ApiProperty({ example: 'claire.fabre@etu.example.fr' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class PasswordResetBody {
  @ApiProperty()
  @IsEmail({}, { message: 'adresse e-mail invalide' })
  @MaxLength(254)
  email!: string;
}

export class SetPasswordBody {
  @ApiProperty({ description: 'The token from the invitation or reset link.' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token!: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class PreferencesBody {
  @ApiProperty({ description: 'Receive reminder and digest e-mails' })
  @IsBoolean()
  reminders!: boolean;
}
