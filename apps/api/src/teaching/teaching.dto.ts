import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
// Bounds here only stop oversized bodies; the domain rules answer in French, with the path of each fault.
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class TeachingSessionBody {
  @ApiProperty({ example: 'Séminaire UPM : la relation médecin-patient' }) @IsString() @MaxLength(1000) title!: string;
  @ApiProperty({ enum: ['seminaire_upm', 'enseignement_upp', 'semaine_assurance_maladie', 'atelier', 'gept', 'autre'] }) @IsString() kind!: string;
  @ApiProperty({ example: '2027-01-14T13:30:00Z' }) @IsString() startsAt!: string;
  @ApiProperty({ example: '2027-01-14T17:00:00Z' }) @IsString() endsAt!: string;
  @ApiProperty({ example: 'Faculté de médecine, amphithéâtre A' }) @IsString() @MaxLength(1000) place!: string;
  @ApiProperty({ type: [Number], description: 'The promotions expected (empty: all)' }) @IsArray() @ArrayMaxSize(20) promotions!: number[];
  @ApiProperty({ type: [String], description: 'The UPP expected, by code (empty: all)' }) @IsArray() @ArrayMaxSize(50) uppCodes!: string[];
  @ApiPropertyOptional({ nullable: true, description: 'Seats; null for no limit' }) @IsOptional() capacity!: number | null;
  @ApiProperty() @IsBoolean() mandatory!: boolean;
  @ApiPropertyOptional({ nullable: true, enum: ['socle', 'approfondissement', 'consolidation'], description: 'The phase it counts toward' }) @IsOptional() phase!: string | null;
  @ApiProperty({ format: 'uuid', description: 'Who takes attendance: any account of the faculty' }) @IsUUID('all', { message: 'UUID attendu' }) leadId!: string;
}

export class RegistrationBody {
  @ApiPropertyOptional({ format: 'uuid', description: 'The intern an admin registers; an intern registers themselves without it' })
  @IsOptional()
  @IsUUID('all', { message: 'UUID attendu' })
  internId?: string;
}

export class MarkBody {
  @ApiProperty({ description: 'Present (true) or absent (false)' }) @IsBoolean() present!: boolean;
}

export class ScanBody {
  @ApiProperty({ description: 'The code the QR holds (the end of its /presence/ address)' }) @IsString() @MaxLength(200) code!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The session the intern meant to scan for, when their page names one' })
  @IsOptional()
  @IsUUID('all', { message: 'UUID attendu' })
  sessionId?: string;
}

export class AbsenceBody {
  @ApiProperty({ example: 'Garde aux urgences la veille (repos de sécurité)' }) @IsString() @MaxLength(5000) reason!: string;
}
