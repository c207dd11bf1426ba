import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export type UniversityProtocol = 'cas' | 'oidc';

/** How a faculty's users sign in through their university, set by the faculty's admin. */
@Entity('university_sign_in')
export class UniversitySignInConfig {
  @PrimaryColumn({ type: 'uuid' })
  facultyId!: string;

  @Column({ type: 'text' })
  protocol!: UniversityProtocol;

  @Column({ type: 'boolean', default: false })
  enabled!: boolean;

  /** CAS: the server's base address, before `/login` and `/p3/serviceValidate`. */
  @Column({ type: 'text', nullable: true })
  casUrl!: string | null;

  /** OpenID Connect: the issuer, whose `/.well-known/openid-configuration` is read. */
  @Column({ type: 'text', nullable: true })
  issuer!: string | null;

  @Column({ type: 'text', nullable: true })
  clientId!: string | null;

  /** AES-256-GCM ciphertext of the client secret (CARNET_SECRET_KEY); never sent back. */
  @Column({ type: 'bytea', nullable: true, select: false })
  clientSecret?: Buffer | null;

  /** The CAS attribute or OpenID claim holding the e-mail that proposes the first link. */
  @Column({ type: 'text' })
  emailAttribute!: string;

  /** The CAS attribute (`user`: the CAS user name) or OpenID claim (`sub`) that never changes. */
  @Column({ type: 'text' })
  subjectAttribute!: string;

  @Column({ type: 'text' })
  buttonLabel!: string;

  /** Whether interns may still sign in with a password; tutors (MSU) always may. */
  @Column({ type: 'boolean', default: true })
  internPasswordsAllowed!: boolean;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  updatedBy!: string | null;
}

/** A university account linked, once confirmed, to a Carnet account. */
@Entity('user_identity')
export class UserIdentity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  facultyId!: string;

  @Column({ type: 'text' })
  provider!: UniversityProtocol;

  /** The university's stable identifier (CAS uid, OpenID `sub`). */
  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  linkedAt!: Date;
}

/** A sign-in in progress, bound to its browser by the hash of a cookie's secret. */
@Entity('university_sign_in_flow')
export class UniversitySignInFlow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  facultyId!: string;

  @Column({ type: 'text' })
  protocol!: UniversityProtocol;

  @Column({ type: 'bytea' })
  bindingHash!: Buffer;

  @Column({ type: 'text', nullable: true })
  state!: string | null;

  @Column({ type: 'text', nullable: true })
  nonce!: string | null;

  @Column({ type: 'text', nullable: true })
  codeVerifier!: string | null;

  @Column({ type: 'text', default: '/' })
  returnTo!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}

/** A link proposed by e-mail match, until its owner confirms it (once, before it expires). */
@Entity('identity_link_proposal')
export class IdentityLinkProposal {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'bytea' })
  bindingHash!: Buffer;

  @Column({ type: 'uuid' })
  facultyId!: string;

  @Column({ type: 'text' })
  provider!: UniversityProtocol;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text', default: '/' })
  returnTo!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
