import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Phase } from '@carnet/domain';

export type Recommendation = 'favorable' | 'reserve' | 'defavorable';

@Entity('phase_requirement')
export class PhaseRequirement {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) phase!: Phase;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'jsonb' }) rules!: object;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ type: 'uuid', nullable: true }) createdBy!: string | null;
}

@Entity('assessment')
export class Assessment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) internId!: string;
  @Column({ type: 'uuid' }) tutorId!: string;
  @Column({ type: 'text' }) phase!: Phase;
  @Column({ type: 'jsonb' }) levels!: object;
  @Column({ type: 'text' }) comment!: string;
  @Column({ type: 'text' }) recommendation!: Recommendation;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
  /** The faculty the assessment came from with its intern (a portfolio transfer); null when written here. */
  @Column({ type: 'uuid', nullable: true }) originFacultyId!: string | null;
}

@Entity('assessment_revision')
export class AssessmentRevision {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) assessmentId!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'jsonb' }) levels!: object;
  @Column({ type: 'text' }) comment!: string;
  @Column({ type: 'text' }) recommendation!: Recommendation;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}
