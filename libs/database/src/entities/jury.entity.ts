import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Phase } from '@carnet/domain';

export type Decision = 'validated' | 'not_validated' | 'deferred';

@Entity('jury_session')
export class JurySession {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Its faculty (the request's when made): see ADR 0007. */
  @Column({ type: 'uuid' }) facultyId!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) phase!: Phase;
  @Column({ type: 'timestamptz' }) opensAt!: Date;
  @Column({ type: 'timestamptz' }) closesAt!: Date;
  @Column({ type: 'uuid', nullable: true }) createdBy!: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}

@Entity('jury_member')
export class JuryMember {
  @PrimaryColumn({ type: 'uuid' }) sessionId!: string;
  @PrimaryColumn({ type: 'uuid' }) userId!: string;
}

@Entity('jury_intern')
export class JuryIntern {
  @PrimaryColumn({ type: 'uuid' }) sessionId!: string;
  @PrimaryColumn({ type: 'uuid' }) internId!: string;
}

@Entity('jury_decision')
export class JuryDecision {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) sessionId!: string;
  @Column({ type: 'uuid' }) internId!: string;
  @Column({ type: 'uuid' }) memberId!: string;
  @Column({ type: 'text' }) decision!: Decision;
  @Column({ type: 'text' }) comment!: string;
  @Column({ type: 'integer' }) requirementVersion!: number;
  @Column({ type: 'jsonb' }) progress!: object;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}
