import { Injectable } from '@nestjs/common';
import type { UniversityProtocol } from '../entities';
import { Database, Tx } from './database';

/** How a session the university opened is continued at its logout. */
export interface UniversitySessionRow {
  faculty_id: string;
  protocol: UniversityProtocol;
  id_token: Buffer | null;
}

/** Single logout with the university: the sessions it opened, and the logout tokens already seen. */
@Injectable()
export class SingleLogoutRepository {
  constructor(private readonly db: Database) {}

  /** The university that opened a session (its faculty, protocol, sealed ID token), or null for a password session. */
  async universityOf(sessionId: string): Promise<UniversitySessionRow | null> {
    const [row] = await this.db.query<UniversitySessionRow>(
      `SELECT university_faculty_id AS faculty_id, university_protocol AS protocol, university_id_token AS id_token FROM session WHERE id = $1 AND university_faculty_id IS NOT NULL`,
      [sessionId],
    );
    return row ?? null;
  }

  /**
   * Remembers a logout token's jti for `seconds`; false if it was already seen (a replay).
   */
  async rememberLogoutToken(facultyId: string, jti: string, seconds: number, tx: Tx): Promise<boolean> {
    // Remembered past the oldest token still accepted: a replay later is refused by its age.
    const fresh = await this.db.query(
      `INSERT INTO university_logout_token (faculty_id, jti, expires_at) VALUES ($1, $2, now() + $3 * interval '1 second')
       ON CONFLICT DO NOTHING RETURNING jti`,
      [facultyId, jti, seconds],
      tx,
    );
    return fresh.length > 0;
  }

  /** The logout tokens too old to be accepted again anyway. */
  async deleteExpiredLogoutTokens(tx: Tx): Promise<void> {
    await this.db.query(`DELETE FROM university_logout_token WHERE expires_at < now()`, [], tx);
  }

  /** Whether this faculty's CAS opened a session here (ended or not) with that ticket. */
  async casTicketKnown(facultyId: string, ticketHash: Buffer, tx: Tx): Promise<boolean> {
    const known = await this.db.query(`SELECT 1 FROM session WHERE university_faculty_id = $1 AND university_protocol = 'cas' AND university_ticket_hash = $2 LIMIT 1`, [facultyId, ticketHash], tx);
    return known.length > 0;
  }
}
