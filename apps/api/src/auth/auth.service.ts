import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import argon2 from 'argon2';
import { DataSource, IsNull } from 'typeorm';
import { CARNET_CONFIG } from '@carnet/config';
import { Tenancy, Tutorship, Upp, User } from '@carnet/database';
import type { FacultyMembership } from '@carnet/contracts';
import { assertAcceptablePassword, displayName, DomainError, ErrorCode } from '@carnet/domain';
import { ResolvedConfig } from '@carnet/infrastructure';
import { AuditService } from '../audit/audit.service';
import { AuthContext, RequestOrigin } from './auth-context';
import { OneTimeTokensService } from './one-time-tokens.service';
import { OpenedSession, SessionsService } from './sessions.service';

/** Failed sign-ins tolerated in the window, per account and per address, before 429. */
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

/** Reset links mailed in the window, per e-mail address and per sender address; the rest are dropped silently. */
export const RESET_WINDOW_MS = 60 * 60_000;
export const MAX_RESETS_PER_EMAIL = 3;
export const MAX_RESETS_PER_ADDRESS = 10;

export class TooManyAttemptsError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Trop de tentatives de connexion : réessayez dans quelques minutes.');
  }
}

/** Thrown inside the reservation's transaction to roll it back. */
class AttemptRefused extends Error {}

export interface PersonSummary {
  id: string;
  displayName: string;
  email: string;
  promotion: number | null;
  since: string;
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  firstName: string;
  lastName: string;
  roles: string[];
  upp: { code: string; name: string } | null;
  reminders: boolean;
  promotion?: number;
  tutees?: PersonSummary[];
  tutors?: PersonSummary[];
  csrfToken?: string;
  /** The faculty this session works in (null: the national operator), and every faculty the person is a member of. */
  faculty: { id: string; code: string; name: string } | null;
  faculties: FacultyMembership[];
}

export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

@Injectable()
export class AuthService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AuthService.name);
  /** Verified against when the e-mail is unknown, so both failures take the same time. */
  private readonly decoyHash = hashPassword('decoy password that matches nothing');
  /** Reset requests answered and still being worked on, awaited when the application stops. */
  private readonly pendingResets = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    private readonly sessions: SessionsService,
    private readonly tokens: OneTimeTokensService,
    private readonly audit: AuditService,
  ) {}

  async login(emailInput: string, password: string, origin: RequestOrigin): Promise<OpenedSession & { user: User }> {
    const email = emailInput.trim().toLowerCase();
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      // A person in several faculties has a row in each (one password): signing in opens the one
      // they last worked in, of a faculty still open and a membership still active (a row closed
      // there, as by a portfolio's transfer, leaves the others); the switcher moves between them.
      .andWhere('(u.faculty_id IS NULL OR EXISTS (SELECT 1 FROM faculty f WHERE f.id = u.faculty_id AND f.active))')
      .andWhere('u.active')
      .orderBy('(SELECT max(s.created_at) FROM session s WHERE s.user_id = u.id)', 'DESC', 'NULLS LAST')
      .addOrderBy('u.created_at', 'ASC')
      .getOne();
    // Run whether or not the e-mail is known, so both cost the same queries.
    const fromKnownAddress = await this.signedInBefore(user?.id ?? null, origin.ip);
    // The account's attempts are counted apart for an address its owner has already signed in
    // from (an address in the audit log's successful sign-ins of the last 90 days): an attacker
    // elsewhere who uses up the account's 5 attempts slows themselves, not the owner at home or at
    // the hospital. Chosen over a signed "device" cookie as it needs no secret, no new cookie and
    // works for API clients too; from that address guesses still get 5 attempts per window (its
    // own counter) and the address's 30. Only worth anything when the address is the client's:
    // behind a proxy, TRUSTED_PROXIES must name it.
    const accountKey = fromKnownAddress ? `account:${email}|from:${origin.ip}` : `account:${email}`;
    const slots = [{ key: accountKey, limit: MAX_FAILURES_PER_ACCOUNT }];
    if (origin.ip) slots.push({ key: `address:${origin.ip}`, limit: MAX_FAILURES_PER_ADDRESS });
    const window = await this.reserveAttempt(slots, LOGIN_WINDOW_MS);
    if (!window) {
      await this.audit.record(origin, { action: 'auth.login_throttled', subjectType: 'email', subjectId: email });
      throw new TooManyAttemptsError(LOGIN_WINDOW_MS / 1000);
    }

    const hash = user?.active && user.passwordHash ? user.passwordHash : await this.decoyHash;
    const valid = await argon2.verify(hash, password).catch(() => false);
    if (!user || !user.active || !user.passwordHash || !valid) {
      // The slot stays taken: it is this failure.
      await this.audit.record(origin, { action: 'auth.login_failed', subjectType: 'email', subjectId: email });
      throw new DomainError(ErrorCode.InvalidCredentials, 'Adresse e-mail ou mot de passe incorrect.');
    }
    // A success is no failure: its slots are given back.
    await this.releaseAttempt(window);
    if (await this.universityOnly(user.roles)) {
      await this.audit.record({ ...origin, userId: user.id }, { action: 'auth.login_refused_university_only', subjectType: 'user', subjectId: user.id });
      throw new DomainError(ErrorCode.Forbidden, 'Les internes se connectent avec leur compte universitaire : utilisez le bouton de votre université.');
    }
    const opened = await this.sessions.open(user.id, origin);
    await this.audit.record({ ...origin, userId: user.id }, { action: 'auth.login', subjectType: 'user', subjectId: user.id });
    return { ...opened, user };
  }

  /** Whether `userId` signed in from `ip` in the last 90 days (audit_log_actor_idx). */
  private async signedInBefore(userId: string | null, ip: string | null): Promise<boolean> {
    if (!ip) return false;
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM audit_log WHERE actor_id = $1::uuid AND occurred_at > now() - interval '90 days' AND action = 'auth.login' AND ip = $2) AS known`,
      [userId, ip],
    );
    return Boolean(row?.known);
  }

  /**
   * Takes one attempt on every key, or none when any already has `limit` attempts within the last
   * `windowMs` (a sliding window: no boundary to straddle). Each key is locked for the transaction
   * (an advisory lock, keys in a fixed order so two attempts never wait on each other's in a cycle),
   * counted, then written, so however many attempts arrive at once, at most `limit` get a slot; a refused
   * attempt leaves no row. Returns the rows taken, for `releaseAttempt`.
   */
  private async reserveAttempt(slots: { key: string; limit: number }[], windowMs: number): Promise<string[] | null> {
    return this.dataSource.transaction(async (manager) => {
      const taken: string[] = [];
      for (const slot of [...slots].sort((a, b) => a.key.localeCompare(b.key))) {
        // The lock first, in a statement of its own: the count below then reads (in a snapshot taken
        // after the lock) every attempt committed before it, concurrent ones included.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [slot.key]);
        const rows: { id: string }[] = await manager.query(
          `INSERT INTO login_attempt_log (key)
           SELECT $1 WHERE (SELECT count(*) FROM login_attempt_log WHERE key = $1 AND at > now() - $2 * interval '1 millisecond') < $3
           RETURNING id::text`,
          [slot.key, windowMs, slot.limit],
        );
        // Thrown to roll back: any slot already taken in this transaction is undone with it.
        if (rows.length === 0) throw new AttemptRefused();
        taken.push(rows[0].id);
      }
      // Now and then, the attempts older than the longest window (the reset's hour).
      if (Math.random() < 0.02) await manager.query(`DELETE FROM login_attempt_log WHERE at < now() - $1 * interval '1 millisecond'`, [Math.max(LOGIN_WINDOW_MS, RESET_WINDOW_MS)]);
      return taken;
    }).catch((error) => {
      if (error instanceof AttemptRefused) return null;
      throw error;
    });
  }

  /** Gives back the attempts `reserveAttempt` took (a success is no failure). */
  private async releaseAttempt(taken: string[]): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_attempt_log WHERE id = ANY($1::bigint[])`, [taken]);
  }

  /**
   * An intern (and nothing else) of a faculty whose university sign-in is on with local passwords
   * off signs in through the university only; MSU, jury members and admins keep their passwords.
   */
  private async universityOnly(roles: string[]): Promise<boolean> {
    if (roles.some((role) => role !== 'intern')) return false;
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM university_sign_in WHERE enabled AND NOT intern_passwords_allowed LIMIT 1`);
    return rows.length > 0;
  }

  async logout(auth: AuthContext): Promise<void> {
    await this.sessions.revoke(auth.sessionId);
    await this.audit.record(auth, { action: 'auth.logout', subjectType: 'user', subjectId: auth.userId });
  }

  async me(auth: AuthContext, csrfToken?: string): Promise<Me> {
    // One's own row: the operator's belongs to no faculty, which their scope cannot see.
    const user = await Tenancy.asSystem(() => this.dataSource.getRepository(User).findOneOrFail({ where: { id: auth.userId }, relations: { upp: true } }));
    return this.describe(user, csrfToken);
  }

  async describe(user: User, csrfToken?: string): Promise<Me> {
    const upp = user.upp ?? (user.uppId ? await this.dataSource.getRepository(Upp).findOneBy({ id: user.uppId }) : null);
    const me: Me = {
      id: user.id,
      email: user.email,
      displayName: displayName(user),
      firstName: user.firstName,
      lastName: user.lastName,
      roles: user.roles,
      upp: upp ? { code: upp.code, name: upp.name } : null,
      reminders: user.remindersEnabled,
      ...(await this.facultiesOf(user)),
    };
    if (user.promotion !== null) me.promotion = user.promotion;
    const tutorships = this.dataSource.getRepository(Tutorship);
    const summary = (other: User, t: Tutorship): PersonSummary => ({
      id: other.id,
      displayName: displayName(other),
      email: other.email,
      promotion: other.promotion,
      since: t.startedAt.toISOString(),
    });
    if (user.roles.includes('tutor')) {
      const active = await tutorships.find({ where: { tutorId: user.id, endedAt: IsNull() }, relations: { intern: true }, order: { promotion: 'DESC' } });
      me.tutees = active.map((t) => summary(t.intern!, t));
    }
    if (user.roles.includes('intern')) {
      const active = await tutorships.find({ where: { internId: user.id, endedAt: IsNull() }, relations: { tutor: true } });
      me.tutors = active.map((t) => summary(t.tutor!, t));
    }
    if (csrfToken) me.csrfToken = csrfToken;
    return me;
  }

  /** The person's faculties, read across them (a faculty's scope sees only its own rows). */
  private async facultiesOf(user: User): Promise<Pick<Me, 'faculty' | 'faculties'>> {
    const rows: (FacultyMembership & { current: boolean })[] = await Tenancy.asSystem(() =>
      this.dataSource.query(
        `SELECT f.id, f.code, f.name, u.roles, u.id = $2 AS current FROM app_user u JOIN faculty f ON f.id = u.faculty_id AND f.active
          WHERE u.email = $1 AND u.active ORDER BY f.name, f.code`,
        [user.email, user.id],
      ),
    );
    const current = rows.find((row) => row.current);
    return {
      faculty: current ? { id: current.id, code: current.code, name: current.name } : null,
      faculties: rows.map(({ id, code, name, roles }) => ({ id, code, name, roles })),
    };
  }

  async setPreferences(auth: AuthContext, reminders: boolean): Promise<void> {
    await this.dataSource.getRepository(User).update({ id: auth.userId }, { remindersEnabled: reminders });
    await this.audit.record(auth, { action: 'user.preferences', subjectType: 'user', subjectId: auth.userId, details: { reminders } });
  }

  /**
   * Takes a reset request and returns at once, before any database work: the answer costs the same
   * whether the address is known or not (a known one used to take twice as long, to look the user
   * up and issue the token). The work goes on after the answer (`processPasswordReset`).
   */
  requestPasswordReset(emailInput: string, origin: RequestOrigin): void {
    const email = emailInput.trim().toLowerCase();
    const work: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.processPasswordReset(email, origin))
      .catch((error: unknown) => this.logger.error(`Password reset for ${email} failed: ${(error as Error).message}`))
      .finally(() => this.pendingResets.delete(work));
    this.pendingResets.add(work);
  }

  /** Resets still in progress are finished before the database is closed. */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.pendingResets]);
  }

  /**
   * Mails a reset (or, for an imported user without a password, an invitation) link, at most
   * MAX_RESETS_PER_EMAIL an hour per address and MAX_RESETS_PER_ADDRESS per sender address;
   * a request past either is dropped (and audited), unknown addresses included.
   */
  private async processPasswordReset(email: string, origin: RequestOrigin): Promise<void> {
    const slots = [{ key: `reset:${email}`, limit: MAX_RESETS_PER_EMAIL }];
    if (origin.ip) slots.push({ key: `reset-from:${origin.ip}`, limit: MAX_RESETS_PER_ADDRESS });
    if (!(await this.reserveAttempt(slots, RESET_WINDOW_MS))) {
      await this.audit.record(origin, { action: 'auth.password_reset_throttled', subjectType: 'email', subjectId: email });
      return;
    }
    const user = await this.dataSource.getRepository(User).findOneBy({ email, active: true });
    await this.audit.record({ ...origin, userId: user?.id ?? null }, { action: 'auth.password_reset_requested', subjectType: 'email', subjectId: email });
    if (!user) return;
    const issued = await this.dataSource.transaction((manager) =>
      this.tokens.issue(manager, user, user.passwordHash === null ? 'invitation' : 'password_reset'),
    );
    await issued.send();
  }

  /**
   * Sets a password from an invitation or reset link; signs out every session of the user, then
   * opens one for whoever chose it (the link proved the mailbox, the password was just typed), so
   * nobody types it twice. The link is single use: a second try is refused before any session.
   */
  async setPassword(token: string, password: string, origin: RequestOrigin): Promise<OpenedSession | null> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.tokens.consume(manager, token);
      if (!row) throw new DomainError(ErrorCode.InvalidToken, 'Ce lien n’est plus valable : demandez-en un nouveau.');
      const user = await manager.getRepository(User).findOneByOrFail({ id: row.userId });
      assertAcceptablePassword(password, user.email);
      // One person, one password: their memberships of other faculties share it.
      const memberships = await manager.getRepository(User).find({ select: { id: true }, where: { email: user.email } });
      await manager.update(User, { email: user.email }, { passwordHash: await hashPassword(password) });
      for (const membership of memberships) await this.sessions.revokeAll(membership.id, manager);
      await this.audit.record(
        { ...origin, userId: user.id },
        { action: row.purpose === 'invitation' ? 'auth.invitation_accepted' : 'auth.password_reset', subjectType: 'user', subjectId: user.id },
        manager,
      );
      return user.active ? this.sessions.open(user.id, origin, manager) : null;
    });
  }

  /** CARNET_ADMIN_EMAIL / CARNET_ADMIN_PASSWORD: the first admin, when there is none yet. */
  async onApplicationBootstrap(): Promise<void> {
    const first = this.config.firstAdmin;
    if (!first) return;
    const users = this.dataSource.getRepository(User);
    const existing = await users.createQueryBuilder('u').where(`'admin' = ANY(u.roles)`).getCount();
    if (existing > 0) return;
    const email = first.email.toLowerCase();
    try {
      await this.dataSource.transaction(async (manager) => {
        const found = await manager.getRepository(User).findOneBy({ email });
        const passwordHash = await hashPassword(first.password);
        if (found) {
          await manager.update(User, { id: found.id }, { roles: [...new Set([...found.roles, 'admin' as const])], passwordHash, active: true });
        } else {
          await manager.insert(User, { email, lastName: 'DUMG', firstName: 'Administration', roles: ['admin'], passwordHash, promotion: null, uppId: null });
        }
        await this.audit.record({ userId: null, ip: null, requestId: null, userAgent: null }, { action: 'admin.first_admin_created', subjectType: 'email', subjectId: email }, manager);
      });
      this.logger.log(`First admin ${email} created`);
    } catch (error) {
      // Another replica starting at the same moment created it first.
      if ((error as { code?: string }).code !== '23505') throw error;
    }
  }
}
