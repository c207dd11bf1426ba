import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('session')
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'text' })
  csrfToken!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent!: string | null;

  /** The faculty whose university opened this session (CAS or OpenID Connect); null: a password. */
  @Column({ type: 'uuid', nullable: true })
  universityFacultyId!: string | null;

  @Column({ type: 'text', nullable: true })
  universityProtocol!: 'cas' | 'oidc' | null;

  /** OpenID Connect: the provider's `sub` and `sid`, by which its back-channel logout names the session. */
  @Column({ type: 'text', nullable: true })
  universitySub!: string | null;

  @Column({ type: 'text', nullable: true })
  universitySid!: string | null;

  /** CAS: SHA-256 of the service ticket, by which its single logout names the session. */
  @Column({ type: 'bytea', nullable: true })
  universityTicketHash!: Buffer | null;

  /** OpenID Connect: the ID token sealed under CARNET_SECRET_KEY, Carnet's `id_token_hint` at sign-out. */
  @Column({ type: 'bytea', nullable: true, select: false })
  universityIdToken?: Buffer | null;
}
