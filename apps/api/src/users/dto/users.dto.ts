import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { Role, ROLES } from '@carnet/domain';
import { PageQuery } from '../../common/paging';

export class CreateUserBody {
  @ApiProperty({ example: 'claire.fabre@etu.example.fr' })
  @IsEmail({}, { message: 'adresse e-mail invalide' })
  @MaxLength(254)
  email!: string;

  @ApiProperty() @IsString() @Length(1, 100) lastName!: string;
  @ApiProperty() @IsString() @Length(1, 100) firstName!: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: 'rôle inconnu (intern, tutor, jury ou admin)' })
  roles!: Role[];

  @ApiPropertyOptional({ description: 'UPP code', nullable: true })
  @IsOptional()
  @IsString()
  upp?: string | null;

  @ApiPropertyOptional({ description: 'Year of DES entry, for interns' })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  promotion?: number;

  @ApiPropertyOptional({ description: 'Without it, the user gets an invitation mail to choose one.' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;
}

export class UpdateUserBody {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) lastName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) firstName?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true, message: 'rôle inconnu (intern, tutor, jury ou admin)' })
  roles?: Role[];

  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() upp?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  promotion?: number | null;

  @ApiPropertyOptional({ description: 'false deactivates the account and signs it out everywhere' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional() @IsOptional() @IsString() upp?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() promotion?: number;
  @ApiPropertyOptional({ description: 'Part of a name or e-mail, accents ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export const INVITATION_STATUSES = ['sent', 'accepted', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export class ListInvitationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INVITATION_STATUSES }) @IsOptional() @IsIn(INVITATION_STATUSES) status?: InvitationStatus;
  @ApiPropertyOptional({ description: 'Part of a name or e-mail, accents ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

/** An invitation just issued; `link` only when no SMTP is configured (`mailed: false`), for the admin to hand over. */
export interface InvitationIssued {
  expiresAt: string;
  mailed: boolean;
  link?: string;
}

/** A user's latest invitation. */
export interface InvitationView {
  userId: string;
  email: string;
  displayName: string;
  roles: Role[];
  status: InvitationStatus;
  sentAt: string;
  expiresAt: string;
  acceptedAt: string | null;
}

export class ImportUsersQuery {
  @ApiPropertyOptional({ description: 'Check and count, change nothing' })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === '1' || value === true)
  @IsBoolean()
  dryRun: boolean = false;
}

export type { UserView } from '@carnet/contracts';

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  errors: { line: number; message: string }[];
  /** false for a dry run, or when errors stopped the import (then nothing changed). */
  applied: boolean;
  /** Only when some: lines whose names will be neutralised (prefixed with ') in the CSV exports. */
  warnings?: { line: number; message: string }[];
}
