import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The DUMG of one university. One row today (code `dumg`); sign-in is configured per faculty. */
@Entity('faculty')
export class Faculty {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Lower-case letters, digits and dashes: it appears in sign-in addresses. */
  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
