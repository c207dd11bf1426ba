import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One reminder per (user, kind, period), and the outbox of its mail: claimed with the message,
 * then queued, then sent. The primary key makes it go out once whatever the number of workers.
 */
@Entity('reminder_log')
export class ReminderLog {
  @PrimaryColumn({ type: 'uuid' }) userId!: string;
  @PrimaryColumn({ type: 'text' }) kind!: string;
  @PrimaryColumn({ type: 'text' }) period!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) claimedAt!: Date;
  @Column({ type: 'jsonb', nullable: true }) mail!: object | null;
  @Column({ type: 'timestamptz', nullable: true }) queuedAt!: Date | null;
  /** Taken for sending: set before the mail goes to SMTP. Without `sentAt`, the outcome is unknown (a crash mid-send). */
  @Column({ type: 'timestamptz', nullable: true }) sendingAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) sentAt!: Date | null;
  @Column({ type: 'jsonb', default: {} }) details!: object;
}
