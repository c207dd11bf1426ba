import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from './user.entity';

@Entity('trace_comment')
export class TraceComment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  traceId!: string;

  @Column({ type: 'uuid' })
  authorId!: string;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'author_id' })
  author?: User;

  @Column({ type: 'uuid', nullable: true })
  parentId!: string | null;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'integer', nullable: true })
  anchorFrom!: number | null;

  @Column({ type: 'integer', nullable: true })
  anchorTo!: number | null;

  @Column({ type: 'text', nullable: true })
  anchorQuote!: string | null;

  /** The revision the comment was written on, when the trace had one. */
  @Column({ type: 'integer', nullable: true })
  revision!: number | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy!: string | null;
}
