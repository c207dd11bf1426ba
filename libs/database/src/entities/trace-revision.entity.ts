import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('trace_revision')
export class TraceRevision {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  traceId!: string;

  @Column({ type: 'integer' })
  number!: number;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'jsonb' })
  content!: object;

  @Column({ type: 'text', array: true })
  competences!: string[];

  @Column({ type: 'text', array: true })
  familles!: string[];

  @Column({ type: 'text' })
  sha256!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'uuid' })
  createdBy!: string;
}
