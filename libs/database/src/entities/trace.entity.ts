import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TraceKind, TraceStatus } from '@carnet/domain';

@Entity('trace')
export class Trace {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  internId!: string;

  @Column({ type: 'text' })
  kind!: TraceKind;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'jsonb' })
  content!: object;

  /** Derived from `content` by the shared schema, for search and the identifier scan. */
  @Column({ type: 'text', select: false })
  contentText?: string;

  @Column({ type: 'text', array: true })
  competences!: string[];

  @Column({ type: 'text', array: true })
  familles!: string[];

  @Column({ type: 'uuid', nullable: true })
  stageId!: string | null;

  @Column({ type: 'text' })
  status!: TraceStatus;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'boolean' })
  everSubmitted!: boolean;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  validatedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  validatedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  validatedSha256!: string | null;

  /**
   * Set on a trace imported from another Carnet (ADR 0008): where it was validated and its
   * original stamp. Such a trace is validated with no local validator, and never editable.
   */
  @Column({ type: 'jsonb', nullable: true })
  importedOrigin!: ImportedOrigin | null;

  /** The faculty the trace came from with its intern (a portfolio transfer); null when written here. */
  @Column({ type: 'uuid', nullable: true })
  originFacultyId!: string | null;
}

export interface ImportedOrigin {
  importId: string;
  deployment: string;
  faculty: { code: string; name: string };
  originTraceId: string;
  validator: string | null;
  validatedAt: string;
  sha256: string;
  /** Whether the archive's manifest was signed by a key the importing admin confirmed. */
  signed: boolean;
  /**
   * When the exporting Carnet had itself imported the trace: the exporter, which relayed it.
   * `deployment` and `faculty` above are then where the trace was validated as the exporter
   * says, and `signed` holds only if both archives were signed (ADR 0008).
   */
  relayedBy?: { deployment: string; faculty: { code: string; name: string } } | null;
}
