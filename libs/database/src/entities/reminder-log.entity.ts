import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('reminder_log')
export class ReminderLog {
  @PrimaryColumn({ type: 'uuid' }) userId!: string;
  @PrimaryColumn({ type: 'text' }) kind!: string;
  @PrimaryColumn({ type: 'text' }) period!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) sentAt!: Date;
  @Column({ type: 'jsonb', default: {} }) details!: object;
}
