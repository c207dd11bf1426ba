import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

@Entity('tutorship')
export class Tutorship {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Its faculty (the request's when made): see ADR 0007. */
  @Column({ type: 'uuid' })
  facultyId!: string;

  @Column({ type: 'uuid' })
  tutorId!: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'tutor_id' })
  tutor?: User;

  @Column({ type: 'uuid' })
  internId!: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'intern_id' })
  intern?: User;

  @Column({ type: 'integer' })
  promotion!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  endReason!: string | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;
}
