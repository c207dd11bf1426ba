import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ExportFormat = 'pdf' | 'zip';
export type ExportScope = 'validated' | 'all';
export type ExportStatus = 'queued' | 'running' | 'completed' | 'failed' | 'expired';

@Entity('portfolio_export')
export class PortfolioExport {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  internId!: string;

  @Column({ type: 'uuid' })
  requestedBy!: string;

  @Column({ type: 'text' })
  format!: ExportFormat;

  @Column({ type: 'text' })
  scope!: ExportScope;

  /** The state of the portfolio when requested: a new change makes a new export. */
  @Column({ type: 'text' })
  portfolioStamp!: string;

  @Column({ type: 'text' })
  status!: ExportStatus;

  @Column({ type: 'integer' })
  progress!: number;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'bigint', nullable: true, transformer: { to: (v?: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) } })
  size!: number | null;

  @Column({ type: 'text', nullable: true })
  sha256!: string | null;

  @Column({ type: 'integer', nullable: true })
  pages!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'text', nullable: true })
  storageKey!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
