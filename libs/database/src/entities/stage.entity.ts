import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { StageKind } from '@carnet/domain';

@Entity('stage')
export class Stage {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Its faculty (the request's when made): see ADR 0007. */
  @Column({ type: 'uuid' }) facultyId!: string;
  @Column({ type: 'uuid' }) internId!: string;
  @Column({ type: 'text' }) kind!: StageKind;
  @Column({ type: 'integer' }) semester!: number;
  @Column({ type: 'text' }) place!: string;
  /** ISO dates (YYYY-MM-DD): a stage runs on calendar days, not instants. */
  @Column({ type: 'date' }) startsOn!: string;
  @Column({ type: 'date' }) endsOn!: string;
  @Column({ type: 'integer' }) psyMonths!: number;
  @Column({ type: 'uuid', nullable: true }) createdBy!: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}

@Entity('stage_supervisor')
export class StageSupervisor {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) stageId!: string;
  @Column({ type: 'uuid' }) tutorId!: string;
  @Column({ type: 'boolean' }) referent!: boolean;
  @Column({ type: 'integer' }) halfDaysPerWeek!: number;
  @Column({ type: 'date' }) fromDate!: string;
  @Column({ type: 'date', nullable: true }) toDate!: string | null;
}

@Entity('stage_phase')
export class StagePhase {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) stageId!: string;
  @Column({ type: 'integer' }) phase!: number;
  @Column({ type: 'text' }) note!: string;
  @Column({ type: 'uuid' }) recordedBy!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) recordedAt!: Date;
}

@Entity('stage_difficulty')
export class StageDifficulty {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) stageId!: string;
  @Column({ type: 'uuid' }) reporterId!: string;
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}
