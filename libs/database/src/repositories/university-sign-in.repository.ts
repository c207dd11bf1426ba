import { Injectable } from '@nestjs/common';
import { UniversityProtocol, UniversitySignInConfig } from '../entities';
import { Database, Tx } from './database';

/** A faculty's sign-in settings as the admin saves them (the client secret only when it changes). */
export type UniversitySignInValues = Omit<UniversitySignInConfig, 'clientSecret'> & { clientSecret?: Buffer | null };

/** An enabled university button on the login page. */
export interface UniversityProviderRow {
  code: string;
  name: string;
  protocol: UniversityProtocol;
  button_label: string;
  intern_passwords_allowed: boolean;
}

/** A sign-in under way, bound to the browser that started it. */
export interface SignInFlowValues {
  facultyId: string;
  protocol: UniversityProtocol;
  bindingHash: Buffer;
  state: string | null;
  nonce: string | null;
  codeVerifier: string | null;
  returnTo: string;
  expiresAt: Date;
}

/** A flow consumed by its callback. */
export interface ConsumedFlow {
  state: string | null;
  nonce: string | null;
  codeVerifier: string | null;
  returnTo: string;
  bindingHash: Buffer;
}

/** A link to confirm: the identity, the account of the same e-mail, and how the university names the session to open. */
export interface LinkProposalValues {
  tokenHash: Buffer;
  bindingHash: Buffer;
  facultyId: string;
  provider: UniversityProtocol;
  subject: string;
  userId: string;
  returnTo: string;
  expiresAt: Date;
  universitySub: string | null;
  universitySid: string | null;
  universityTicketHash: Buffer | null;
  universityIdToken: Buffer | null;
}

export interface LinkPreviewRow {
  subject: string;
  email: string;
  name: string;
}

/** A proposal spent by its confirmation. */
export interface SpentProposalRow {
  id: string;
  faculty_id: string;
  provider: UniversityProtocol;
  subject: string;
  user_id: string;
  return_to: string;
  university_sub: string | null;
  university_sid: string | null;
  university_ticket_hash: Buffer | null;
  university_id_token: Buffer | null;
}

/** node-postgres answers an UPDATE … RETURNING as [rows, count]. */
const firstReturned = <T>(rows: T[]): T | null => (Array.isArray(rows[0]) ? (rows[0] as unknown as T[])[0] : rows[0]) ?? null;

/**
 * Sign-in through the university: each faculty's settings, the flows under way, the link
 * proposals and the linked identities.
 */
@Injectable()
export class UniversitySignInRepository {
  constructor(private readonly db: Database) {}

  /** A faculty's settings, its sealed client secret included, whether or not sign-in is on. */
  settingsOf(facultyId: string): Promise<UniversitySignInConfig | null> {
    return this.db.manager().getRepository(UniversitySignInConfig).createQueryBuilder('c').addSelect('c.clientSecret').where('c.faculty_id = :id', { id: facultyId }).getOne();
  }

  /** A faculty's settings, its sealed client secret included, if sign-in is on. */
  enabledSettingsOf(facultyId: string): Promise<UniversitySignInConfig | null> {
    return this.db
      .manager()
      .getRepository(UniversitySignInConfig)
      .createQueryBuilder('c')
      .addSelect('c.clientSecret')
      .where('c.faculty_id = :id AND c.enabled', { id: facultyId })
      .getOne();
  }

  /** Creates or replaces the faculty's settings (its client secret kept when not given). */
  async saveSettings(values: UniversitySignInValues, tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(UniversitySignInConfig).upsert(values, ['facultyId']);
  }

  /** The faculties whose university sign-in is on, by name. */
  enabledProviders(): Promise<UniversityProviderRow[]> {
    return this.db.query<UniversityProviderRow>(
      `SELECT f.code, f.name, c.protocol, c.button_label, c.intern_passwords_allowed
         FROM university_sign_in c JOIN faculty f ON f.id = c.faculty_id
        WHERE c.enabled ORDER BY f.name`,
    );
  }

  /** Records a flow; its id. */
  async insertFlow(flow: SignInFlowValues): Promise<string> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO university_sign_in_flow (faculty_id, protocol, binding_hash, state, nonce, code_verifier, return_to, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [flow.facultyId, flow.protocol, flow.bindingHash, flow.state, flow.nonce, flow.codeVerifier, flow.returnTo, flow.expiresAt],
    );
    return row.id;
  }

  /** The flows nobody finished, a day after they expired. */
  async deleteStaleFlows(): Promise<void> {
    await this.db.query(`DELETE FROM university_sign_in_flow WHERE expires_at < now() - interval '1 day'`);
  }

  /** The flow `id` (unused, unexpired, of this browser's binding), marked used in the same statement: a second callback finds none. */
  async consumeFlow(id: string, bindingHash: Buffer, facultyId: string, protocol: UniversityProtocol): Promise<ConsumedFlow | null> {
    const rows = await this.db.query<{ state: string | null; nonce: string | null; code_verifier: string | null; return_to: string; binding_hash: Buffer }>(
      `UPDATE university_sign_in_flow SET used_at = now()
        WHERE id = $1 AND binding_hash = $2 AND faculty_id = $3 AND protocol = $4 AND used_at IS NULL AND expires_at > now()
        RETURNING state, nonce, code_verifier, return_to, binding_hash`,
      [id, bindingHash, facultyId, protocol],
    );
    const row = firstReturned(rows);
    return row ? { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, returnTo: row.return_to, bindingHash: row.binding_hash } : null;
  }

  /** The account of this faculty a university identity is linked to, active or not. */
  async linkedAccount(facultyId: string, provider: UniversityProtocol, subject: string): Promise<{ userId: string; active: boolean } | null> {
    const [row] = await this.db.query<{ user_id: string; active: boolean }>(
      `SELECT u.id AS user_id, u.active FROM user_identity i JOIN app_user u ON u.id = i.user_id AND u.faculty_id = i.faculty_id
        WHERE i.faculty_id = $1 AND i.provider = $2 AND i.subject = $3`,
      [facultyId, provider, subject],
    );
    return row ? { userId: row.user_id, active: row.active } : null;
  }

  /** The active account of `email` in this faculty, if any. */
  async activeMemberId(email: string, facultyId: string): Promise<string | null> {
    const [user] = await this.db.query<{ id: string }>(`SELECT id FROM app_user WHERE email = $1 AND active AND faculty_id = $2`, [email, facultyId]);
    return user?.id ?? null;
  }

  /** Proposes a link: an earlier proposal for the same identity is void, only the newest works. */
  async proposeLink(p: LinkProposalValues, tx: Tx): Promise<void> {
    await this.db.query(`UPDATE identity_link_proposal SET used_at = now() WHERE faculty_id = $1 AND provider = $2 AND subject = $3 AND used_at IS NULL`, [p.facultyId, p.provider, p.subject], tx);
    await this.db.query(
      `INSERT INTO identity_link_proposal (token_hash, binding_hash, faculty_id, provider, subject, user_id, return_to, expires_at,
                                           university_sub, university_sid, university_ticket_hash, university_id_token)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [p.tokenHash, p.bindingHash, p.facultyId, p.provider, p.subject, p.userId, p.returnTo, p.expiresAt, p.universitySub, p.universitySid, p.universityTicketHash, p.universityIdToken],
      tx,
    );
  }

  /** A valid proposal (unused, unexpired, of this browser, its account active): what its page shows. */
  async previewProposal(tokenHash: Buffer, bindingHash: Buffer): Promise<LinkPreviewRow | null> {
    const [row] = await this.db.query<LinkPreviewRow>(
      `SELECT p.subject, u.email, f.name FROM identity_link_proposal p JOIN app_user u ON u.id = p.user_id JOIN faculty f ON f.id = p.faculty_id
        WHERE p.token_hash = $1 AND p.binding_hash = $2 AND p.used_at IS NULL AND p.expires_at > now() AND u.active`,
      [tokenHash, bindingHash],
    );
    return row ?? null;
  }

  /** Spends a valid proposal (unused, unexpired, of this browser) in the same statement that reads it. */
  async spendProposal(tokenHash: Buffer, bindingHash: Buffer, tx: Tx): Promise<SpentProposalRow | null> {
    const rows = await this.db.query<SpentProposalRow>(
      `UPDATE identity_link_proposal SET used_at = now()
        WHERE token_hash = $1 AND binding_hash = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING id, faculty_id, provider, subject, user_id, return_to, university_sub, university_sid, university_ticket_hash, university_id_token`,
      [tokenHash, bindingHash],
      tx,
    );
    return firstReturned(rows);
  }

  /**
   * Links the identity to the account (one university account per Carnet account and provider:
   * a newer link replaces the older), unless already linked to another; the account it is linked
   * to afterwards (null: none).
   */
  async linkIdentity(facultyId: string, provider: UniversityProtocol, subject: string, userId: string, tx: Tx): Promise<string | null> {
    await this.db.query(`DELETE FROM user_identity WHERE user_id = $1 AND faculty_id = $2 AND provider = $3`, [userId, facultyId, provider], tx);
    await this.db.query(
      `INSERT INTO user_identity (faculty_id, provider, subject, user_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (faculty_id, provider, subject) DO NOTHING`,
      [facultyId, provider, subject, userId],
      tx,
    );
    const [owner] = await this.db.query<{ user_id: string }>(`SELECT user_id FROM user_identity WHERE faculty_id = $1 AND provider = $2 AND subject = $3`, [facultyId, provider, subject], tx);
    return owner?.user_id ?? null;
  }
}
