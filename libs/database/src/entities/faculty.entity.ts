import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The DUMG of one university: a tenant, sealed from the others (ADR 0007). */
@Entity('faculty')
export class Faculty {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Lower-case letters, digits and dashes: it appears in sign-in addresses. */
  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  /** A faculty closed by the national operator: its members can no longer sign in. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
