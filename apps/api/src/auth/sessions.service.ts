import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { PreparedStatements, Session, User } from '@carnet/database';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly statements: PreparedStatements,
    private readonly cache: SessionCache,
  ) {}

  /**
   * Opens a session, the same whichever way its owner proved who they are (password, university,
   * link confirmation): same lifetime, same lookup, same revocations.
   */
  async open(userId: string, origin: RequestOrigin, manager: EntityManager = this.dataSource.manager, university?: UniversityOpening): Promise<OpenedSession> {
    const accessToken = newToken();
    const session = manager.create(Session, {
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
    });
    await manager.insert(Session, session);
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
    const rows = await this.statements.query<{ session_id: string; csrf_token: string; expires_at: Date; user_id: string; roles: User['roles']; faculty_id: string | null }>(
      `SELECT s.id AS session_id, s.csrf_token, s.expires_at, u.id AS user_id, u.roles, u.faculty_id
         FROM session s JOIN app_user u ON u.id = s.user_id AND u.active
         LEFT JOIN faculty f ON f.id = u.faculty_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND (u.faculty_id IS NULL OR f.active)`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    const known = { sessionId: row.session_id, userId: row.user_id, roles: row.roles, facultyId: row.faculty_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
    this.cache.remember(key, known, mark);
    return known;
  }

  async csrfOf(sessionId: string): Promise<string | undefined> {
    return (await this.dataSource.getRepository(Session).findOneBy({ id: sessionId }))?.csrfToken;
  }

  async revoke(sessionId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(Session).update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.cache.forgetSession(sessionId);
  }

  /**
   * Ends the live sessions a faculty's university opened and now names in its single logout;
   * returns them. Nothing else can match: a password session has no university columns.
   */
  async revokeOpenedBy(facultyId: string, protocol: 'cas' | 'oidc', match: UniversitySessionMatch, manager: EntityManager = this.dataSource.manager): Promise<{ id: string; userId: string }[]> {
    const conditions = [`university_faculty_id = $1`, `university_protocol = $2`, `revoked_at IS NULL`];
    const parameters: unknown[] = [facultyId, protocol];
    const column = { sub: 'university_sub', sid: 'university_sid', ticketHash: 'university_ticket_hash' } as const;
    for (const key of ['sub', 'sid', 'ticketHash'] as const) {
      if (match[key] === undefined) continue;
      parameters.push(match[key]);
      // A sid beside the sub also ends the sub's sessions whose ID token carried no sid.
      const orUnnamed = key === 'sid' && match.sub !== undefined ? ` OR ${column.sid} IS NULL` : '';
      conditions.push(`(${column[key]} = $${parameters.length}${orUnnamed})`);
    }
    // Never everything a provider opened: at least one name is required.
    if (parameters.length === 2) throw new Error('revokeOpenedBy needs a sub, a sid or a ticket');
    const [rows]: [{ id: string; user_id: string }[], number] = await manager.query(
      `UPDATE session SET revoked_at = now() WHERE ${conditions.join(' AND ')} RETURNING id, user_id`,
      parameters,
    );
    for (const row of rows) this.cache.forgetSession(row.id, manager);
    return rows.map((row) => ({ id: row.id, userId: row.user_id }));
  }

  async revokeAll(userId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(Session).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.forgetUser(userId, manager);
  }

  /**
   * A user's roles or activity changed (in `manager`'s transaction): their sessions are looked up
   * again on this process from its commit on; other processes hear of it from the database.
   */
  forgetUser(userId: string, manager?: EntityManager): void {
    this.cache.forgetUser(userId, manager);
  }
}
