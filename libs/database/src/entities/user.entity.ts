import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '@carnet/domain';
import { Upp } from './upp.entity';

@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Always lower-case: e-mail addresses are matched case-insensitively. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  lastName!: string;

  @Column({ type: 'text' })
  firstName!: string;

  @Column({ type: 'text', array: true })
  roles!: Role[];

  /**
   * The faculty this row is a membership of (the request's, by default); NULL only for the
   * national operator. The same e-mail in another faculty is the same person.
   */
  @Column({ type: 'uuid', nullable: true })
  facultyId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  uppId!: string | null;

  @ManyToOne(() => Upp, { nullable: true })
  @JoinColumn({ name: 'upp_id' })
  upp?: Upp | null;

  @Column({ type: 'integer', nullable: true })
  promotion!: number | null;

  @Column({ type: 'text', nullable: true, select: false })
  passwordHash?: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ type: 'boolean', default: true })
  remindersEnabled!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
