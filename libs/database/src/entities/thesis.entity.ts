import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One step of the faculty's thesis path, copied onto each thesis declared after it is set. */
@Entity('thesis_step_template')
export class ThesisStepTemplate {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'text' }) label!: string;
}

/** An intern's thesis: its subject and its director, an account or a doctor without one. */
@Entity('thesis')
export class Thesis {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) internId!: string;
  @Column({ type: 'text' }) subject!: string;
  @Column({ type: 'uuid', nullable: true }) directorId!: string | null;
  @Column({ type: 'text', nullable: true }) directorName!: string | null;
  @Column({ type: 'text', nullable: true }) directorEmail!: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

@Entity('thesis_step')
export class ThesisStep {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) thesisId!: string;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'text' }) label!: string;
  /** Calendar days, as PostgreSQL's `date` text (YYYY-MM-DD). */
  @Column({ type: 'date', nullable: true }) plannedOn!: string | null;
  @Column({ type: 'date', nullable: true }) doneOn!: string | null;
  @Column({ type: 'text', default: '' }) note!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
}

@Entity('thesis_document')
export class ThesisDocument {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) stepId!: string;
  @Column({ type: 'text' }) filename!: string;
  @Column({ type: 'text' }) mimeType!: string;
  @Column({ type: 'integer' }) size!: number;
  @Column({ type: 'text' }) sha256!: string;
  @Column({ type: 'text' }) storageKey!: string;
  @Column({ type: 'uuid' }) uploadedBy!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}

/** A one-time link for a director without an account: only its hash is kept. */
@Entity('thesis_director_link')
export class ThesisDirectorLink {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) thesisId!: string;
  @Column({ type: 'text' }) email!: string;
  @Column({ type: 'bytea' }) tokenHash!: Buffer;
  @Column({ type: 'uuid' }) createdBy!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
  @Column({ type: 'timestamptz' }) expiresAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) usedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
}

/** The director's comment: by their account, or through one of their links. */
@Entity('thesis_comment')
export class ThesisComment {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) thesisId!: string;
  @Column({ type: 'uuid', nullable: true }) authorId!: string | null;
  @Column({ type: 'text' }) authorName!: string;
  @Column({ type: 'uuid', nullable: true }) linkId!: string | null;
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) createdAt!: Date;
}
