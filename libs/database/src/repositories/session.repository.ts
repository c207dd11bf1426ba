import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { EntitySubscriberInterface, IsNull, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { Session, User } from '../entities';
import { Database, Tx } from './database';

/** A live session and its active user, as the session lookup reads them. */
export interface LiveSessionRow {
  session_id: string;
  csrf_token: string;
  expires_at: Date;
  user_id: string;
  roles: User['roles'];
  faculty_id: string | null;
}

/** A session to open: everything but what the database gives it (its id, its creation time). */
export type SessionOpeningRow = Omit<Session, 'id' | 'createdAt'>;

/** How a university's logout names the sessions it ends; several given, all must match. */
export interface SessionUniversityNames {
  sub?: string;
  sid?: string;
  ticketHash?: Buffer;
}

/** The channel migration 15's triggers notify: `s:<session id>`, `u:<user id>`, or `*` for all. */
export const SESSION_CHANNEL = 'carnet_sessions';

/** The connection that hears the sessions' changes, from the moment it is opened until it is closed. */
export interface SessionChangesListener {
  /** Settles once connected and listening; rejects if either failed. */
  readonly ready: Promise<void>;
  /** Ends the connection; never rejects (a connection whose peer vanished may never answer). */
  close(): Promise<void>;
}

/**
 * Server-side sessions (the `session` table): opened, looked up on every request, revoked. Also
 * the channel their changes are notified on (migration 15), and the hook that runs work at a
 * transaction's commit (the session cache drops what a transaction changed once it commits).
 */
@Injectable()
export class SessionRepository implements EntitySubscriberInterface {
  /** Work waiting for its transaction's commit. */
  private readonly afterCommit = new WeakMap<QueryRunner, (() => void)[]>();

  constructor(private readonly db: Database) {
    db.dataSource.subscribers.push(this);
  }

  /** Inserts a session; returns it as saved. */
  async open(values: SessionOpeningRow, tx?: Tx): Promise<Session> {
    const manager = this.db.manager(tx);
    const session = manager.create(Session, values);
    await manager.insert(Session, session);
    return session;
  }

  /** The live session and its active user (of an open faculty, or none) behind a token's hash: the hot read every request makes (prepared). */
  async findLive(tokenHash: Buffer): Promise<LiveSessionRow | undefined> {
    const rows = await this.db.prepared<LiveSessionRow>(
      `SELECT s.id AS session_id, s.csrf_token, s.expires_at, u.id AS user_id, u.roles, u.faculty_id
         FROM session s JOIN app_user u ON u.id = s.user_id AND u.active
         LEFT JOIN faculty f ON f.id = u.faculty_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND (u.faculty_id IS NULL OR f.active)`,
      [tokenHash],
    );
    return rows[0];
  }

  async csrfOf(sessionId: string): Promise<string | undefined> {
    return (await this.db.manager().getRepository(Session).findOneBy({ id: sessionId }))?.csrfToken;
  }

  /** Revokes a session (if still live). */
  async revoke(sessionId: string, tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(Session).update({ id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Revokes every live session of a user. */
  async revokeAllOf(userId: string, tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(Session).update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /**
   * Revokes the live sessions a faculty's university opened and `match` names (at least one name
   * required); returns them. Nothing else can match: a password session has no university columns.
   */
  async revokeOpenedBy(facultyId: string, protocol: 'cas' | 'oidc', match: SessionUniversityNames, tx?: Tx): Promise<{ id: string; user_id: string }[]> {
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
    const [rows] = (await this.db.query(`UPDATE session SET revoked_at = now() WHERE ${conditions.join(' AND ')} RETURNING id, user_id`, parameters, tx)) as unknown as [
      { id: string; user_id: string }[],
      number,
    ];
    return rows;
  }

  /**
   * Opens the connection that listens to the sessions' channel: `notification` gets each payload,
   * `lost` is told when the connection fails or ends (not after `close`).
   */
  listen(databaseUrl: string, events: { notification(payload: string): void; lost(error?: Error): void }): SessionChangesListener {
    const client = new Client({
      connectionString: databaseUrl,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
      application_name: 'carnet-session-cache',
    });
    client.on('notification', (message) => message.channel === SESSION_CHANNEL && events.notification(message.payload ?? ''));
    client.on('error', (error) => events.lost(error));
    client.on('end', () => events.lost());
    const ready = (async () => {
      await client.connect();
      await client.query(`LISTEN ${SESSION_CHANNEL}`);
    })();
    return {
      ready,
      close: () => {
        client.removeAllListeners();
        client.on('error', () => undefined);
        return client.end().catch(() => undefined);
      },
    };
  }

  /** Sends `payload` round the sessions' channel (the cache's probe). */
  async notify(payload: string): Promise<void> {
    await this.db.query(`SELECT pg_notify($1, $2)`, [SESSION_CHANNEL, payload]);
  }

  /**
   * Runs `work` when `tx`'s transaction commits (never, if it rolls back), or now outside one.
   */
  atCommit(tx: Tx | undefined, work: () => void): void {
    const runner = tx?.queryRunner;
    if (!runner?.isTransactionActive) return work();
    const pending = this.afterCommit.get(runner);
    if (pending) pending.push(work);
    else this.afterCommit.set(runner, [work]);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.isTransactionActive) return; // a savepoint released: not committed yet
    const pending = this.afterCommit.get(event.queryRunner);
    this.afterCommit.delete(event.queryRunner);
    pending?.forEach((work) => work());
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.afterCommit.delete(event.queryRunner);
  }
}

/** The attempts counted against the sliding-window limits of sign-in and password reset (`login_attempt_log`), and what the limits look at. */
@Injectable()
export class SignInRepository {
  constructor(private readonly db: Database) {}

  /** Whether `userId` signed in from `ip` in the last 90 days (audit_log_actor_idx). */
  async signedInBefore(userId: string | null, ip: string): Promise<boolean> {
    const [row] = await this.db.query<{ known: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM audit_log WHERE actor_id = $1::uuid AND occurred_at > now() - interval '90 days' AND action = 'auth.login' AND ip = $2) AS known`,
      [userId, ip],
    );
    return Boolean(row?.known);
  }

  /**
   * Locks `key` for the transaction (an advisory lock). The lock first, in a statement of its own:
   * a count after it then reads (in a snapshot taken after the lock) every attempt committed
   * before it, concurrent ones included.
   */
  async lockKey(key: string, tx: Tx): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [key], tx);
  }

  /** Takes an attempt on `key` unless it already has `limit` within the last `windowMs`: the attempt's id, or null (no row written). */
  async takeAttempt(key: string, windowMs: number, limit: number, tx: Tx): Promise<string | null> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO login_attempt_log (key)
           SELECT $1 WHERE (SELECT count(*) FROM login_attempt_log WHERE key = $1 AND at > now() - $2 * interval '1 millisecond') < $3
           RETURNING id::text`,
      [key, windowMs, limit],
      tx,
    );
    return rows[0]?.id ?? null;
  }

  /** Deletes the attempts older than `windowMs`. */
  async pruneAttempts(windowMs: number, tx: Tx): Promise<void> {
    await this.db.query(`DELETE FROM login_attempt_log WHERE at < now() - $1 * interval '1 millisecond'`, [windowMs], tx);
  }

  /** Gives back attempts taken (a success is no failure). */
  async releaseAttempts(ids: string[]): Promise<void> {
    await this.db.query(`DELETE FROM login_attempt_log WHERE id = ANY($1::bigint[])`, [ids]);
  }

  /** Whether some faculty's university sign-in is on with interns' local passwords off. */
  async internPasswordsRefusedSomewhere(): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM university_sign_in WHERE enabled AND NOT intern_passwords_allowed LIMIT 1`);
    return rows.length > 0;
  }
}
