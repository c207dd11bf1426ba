import { Injectable } from '@nestjs/common';
import { Session, SessionRepository, Tx, User } from '@carnet/database';
import type { RequestOrigin } from './auth-context';
import { KnownSession, SessionCache } from './session-cache';
import { hashToken, newToken } from './tokens';

export const SESSION_LIFETIME_MS = 12 * 3600 * 1000;

/**
 * A session opened through a university: the faculty whose provider opened it, and how that
 * provider's single logout will name it (OpenID `sub`/`sid`, or the CAS ticket's hash). The ID
 * token is already sealed (CARNET_SECRET_KEY): it goes back as `id_token_hint` at sign-out.
 */
export interface UniversityOpening {
  facultyId: string;
  protocol: 'cas' | 'oidc';
  sub?: string | null;
  sid?: string | null;
  ticketHash?: Buffer | null;
  idToken?: Buffer | null;
}

/** How a university's logout names the sessions it ends; several given, all must match. */
export interface UniversitySessionMatch {
  sub?: string;
  sid?: string;
  ticketHash?: Buffer;
}

export interface OpenedSession {
  session: Session;
  accessToken: string;
}

/** Server-side sessions behind opaque tokens: revocable at once, by logout or a password change. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly cache: SessionCache,
  ) {}

  /**
   * Opens a session, the same whichever way its owner proved who they are (password, university,
   * link confirmation): same lifetime, same lookup, same revocations.
   */
  async open(userId: string, origin: RequestOrigin, tx?: Tx, university?: UniversityOpening): Promise<OpenedSession> {
    const accessToken = newToken();
    const session = await this.sessions.open(
      {
        userId,
        tokenHash: hashToken(accessToken),
        csrfToken: newToken(),
        expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS),
        revokedAt: null,
        ip: origin.ip,
        userAgent: origin.userAgent,
        universityFacultyId: university?.facultyId ?? null,
        universityProtocol: university?.protocol ?? null,
        universitySub: university?.sub ?? null,
        universitySid: university?.sid ?? null,
        universityTicketHash: university?.ticketHash ?? null,
        universityIdToken: university?.idToken ?? null,
      },
      tx,
    );
    return { session, accessToken };
  }

  /**
   * The live session and its active user behind a token, or null: one query on a request, or
   * none when this process looked the token up lately (SessionCache, which revocations empty).
   */
  async resolve(token: string): Promise<{ session: Session; user: User } | null> {
    const tokenHash = hashToken(token);
    const key = tokenHash.toString('base64');
    const known = this.cache.get(key) ?? (await this.lookUp(tokenHash, key));
    if (!known) return null;
    const session = Object.assign(new Session(), { id: known.sessionId, userId: known.userId, csrfToken: known.csrfToken, expiresAt: known.expiresAt });
    const user = Object.assign(new User(), { id: known.userId, roles: known.roles, facultyId: known.facultyId, active: true });
    return { session, user };
  }

  private async lookUp(tokenHash: Buffer, key: string): Promise<KnownSession | null> {
    const mark = this.cache.mark;
    const row = await this.sessions.findLive(tokenHash);
    if (!row) return null;
    const known = { sessionId: row.session_id, userId: row.user_id, roles: row.roles, facultyId: row.faculty_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
    this.cache.remember(key, known, mark);
    return known;
  }

  async csrfOf(sessionId: string): Promise<string | undefined> {
    return this.sessions.csrfOf(sessionId);
  }

  async revoke(sessionId: string, tx?: Tx): Promise<void> {
    await this.sessions.revoke(sessionId, tx);
    this.cache.forgetSession(sessionId, tx);
  }

  /**
   * Ends the live sessions a faculty's university opened and now names in its single logout;
   * returns them. Nothing else can match: a password session has no university columns.
   */
  async revokeOpenedBy(facultyId: string, protocol: 'cas' | 'oidc', match: UniversitySessionMatch, tx?: Tx): Promise<{ id: string; userId: string }[]> {
    const rows = await this.sessions.revokeOpenedBy(facultyId, protocol, match, tx);
    for (const row of rows) this.cache.forgetSession(row.id, tx);
    return rows.map((row) => ({ id: row.id, userId: row.user_id }));
  }

  async revokeAll(userId: string, tx?: Tx): Promise<void> {
    await this.sessions.revokeAllOf(userId, tx);
    this.forgetUser(userId, tx);
  }

  /**
   * A user's roles or activity changed (in `tx`'s transaction): their sessions are looked up
   * again on this process from its commit on; other processes hear of it from the database.
   */
  forgetUser(userId: string, tx?: Tx): void {
    this.cache.forgetUser(userId, tx);
  }
}
