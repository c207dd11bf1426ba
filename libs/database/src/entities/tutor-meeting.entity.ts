import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Tutorship } from './tutorship.entity';

/** One meeting of a tutorship, co-signed when both the intern and the tutor have confirmed it. */
@Entity('tutor_meeting')
export class TutorMeeting {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tutorshipId!: string;

  @ManyToOne(() => Tutorship)
  @JoinColumn({ name: 'tutorship_id' })
  tutorship?: Tutorship;

  /** A calendar day, as PostgreSQL's `date` text (YYYY-MM-DD). */
  @Column({ type: 'date' })
  heldOn!: string;

  @Column({ type: 'text' })
  discussed!: string;

  @Column({ type: 'text' })
  nextObjectives!: string;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  internConfirmedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  tutorConfirmedAt!: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
