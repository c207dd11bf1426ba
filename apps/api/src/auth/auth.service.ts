import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import argon2 from 'argon2';
import { CARNET_CONFIG } from '@carnet/config';
import { SignInRepository, Tenancy, Transactions, Tutorship, UppRepository, User, UserRepository } from '@carnet/database';
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
    private readonly transactions: Transactions,
    private readonly users: UserRepository,
    private readonly upps: UppRepository,
    private readonly signIns: SignInRepository,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    private readonly sessions: SessionsService,
    private readonly tokens: OneTimeTokensService,
    private readonly audit: AuditService,
  ) {}

  async login(emailInput: string, password: string, origin: RequestOrigin): Promise<OpenedSession & { user: User }> {
    const email = emailInput.trim().toLowerCase();
    // A person in several faculties has a row in each (one password): signing in opens the one
    // they last worked in (UserRepository.findForSignIn); the switcher moves between them.
    const user = await this.users.findForSignIn(email);
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

  /** Whether `userId` signed in from `ip` in the last 90 days. */
  private async signedInBefore(userId: string | null, ip: string | null): Promise<boolean> {
    if (!ip) return false;
    return this.signIns.signedInBefore(userId, ip);
  }

  /**
   * Takes one attempt on every key, or none when any already has `limit` attempts within the last
   * `windowMs` (a sliding window: no boundary to straddle). Each key is locked for the transaction
   * (an advisory lock, keys in a fixed order so two attempts never wait on each other's in a cycle),
   * counted, then written, so however many attempts arrive at once, at most `limit` get a slot; a refused
   * attempt leaves no row. Returns the rows taken, for `releaseAttempt`.
   */
  private async reserveAttempt(slots: { key: string; limit: number }[], windowMs: number): Promise<string[] | null> {
    return this.transactions
      .run(async (tx) => {
        const taken: string[] = [];
        for (const slot of [...slots].sort((a, b) => a.key.localeCompare(b.key))) {
          // The lock first, in a statement of its own: the count below then reads (in a snapshot taken
          // after the lock) every attempt committed before it, concurrent ones included.
          await this.signIns.lockKey(slot.key, tx);
          const id = await this.signIns.takeAttempt(slot.key, windowMs, slot.limit, tx);
          // Thrown to roll back: any slot already taken in this transaction is undone with it.
          if (id === null) throw new AttemptRefused();
          taken.push(id);
        }
        // Now and then, the attempts older than the longest window (the reset's hour).
        if (Math.random() < 0.02) await this.signIns.pruneAttempts(Math.max(LOGIN_WINDOW_MS, RESET_WINDOW_MS), tx);
        return taken;
      })
      .catch((error) => {
        if (error instanceof AttemptRefused) return null;
        throw error;
      });
  }

  /** Gives back the attempts `reserveAttempt` took (a success is no failure). */
  private async releaseAttempt(taken: string[]): Promise<void> {
    await this.signIns.releaseAttempts(taken);
  }

  /**
   * An intern (and nothing else) of a faculty whose university sign-in is on with local passwords
   * off signs in through the university only; MSU, jury members and admins keep their passwords.
   */
  private async universityOnly(roles: string[]): Promise<boolean> {
    if (roles.some((role) => role !== 'intern')) return false;
    return this.signIns.internPasswordsRefusedSomewhere();
  }

  async logout(auth: AuthContext): Promise<void> {
    await this.sessions.revoke(auth.sessionId);
    await this.audit.record(auth, { action: 'auth.logout', subjectType: 'user', subjectId: auth.userId });
  }

  async me(auth: AuthContext, csrfToken?: string): Promise<Me> {
    // One's own row: the operator's belongs to no faculty, which their scope cannot see.
    const user = await Tenancy.asSystem(() => this.users.getWithUpp(auth.userId));
    return this.describe(user, csrfToken);
  }

  async describe(user: User, csrfToken?: string): Promise<Me> {
    const upp = user.upp ?? (user.uppId ? await this.upps.findById(user.uppId) : null);
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
    const summary = (other: User, t: Tutorship): PersonSummary => ({
      id: other.id,
      displayName: displayName(other),
      email: other.email,
      promotion: other.promotion,
      since: t.startedAt.toISOString(),
    });
    if (user.roles.includes('tutor')) {
      const active = await this.users.activeTuteesOf(user.id);
      me.tutees = active.map((t) => summary(t.intern!, t));
    }
    if (user.roles.includes('intern')) {
      const active = await this.users.activeTutorsOf(user.id);
      me.tutors = active.map((t) => summary(t.tutor!, t));
    }
    if (csrfToken) me.csrfToken = csrfToken;
    return me;
  }

  /** The person's faculties, read across them (a faculty's scope sees only its own rows). */
  private async facultiesOf(user: User): Promise<Pick<Me, 'faculty' | 'faculties'>> {
    const rows = await Tenancy.asSystem(() => this.users.membershipsOf(user.email, user.id));
    const current = rows.find((row) => row.current);
    return {
      faculty: current ? { id: current.id, code: current.code, name: current.name } : null,
      faculties: rows.map(({ id, code, name, roles }): FacultyMembership => ({ id, code, name, roles: roles as FacultyMembership['roles'] })),
    };
  }

  async setPreferences(auth: AuthContext, reminders: boolean): Promise<void> {
    await this.users.setReminders(auth.userId, reminders);
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
    const user = await this.users.findActiveByEmail(email);
    await this.audit.record({ ...origin, userId: user?.id ?? null }, { action: 'auth.password_reset_requested', subjectType: 'email', subjectId: email });
    if (!user) return;
    const issued = await this.transactions.run((tx) => this.tokens.issue(tx, user, user.passwordHash === null ? 'invitation' : 'password_reset'));
    await issued.send();
  }

  /**
   * Sets a password from an invitation or reset link; signs out every session of the user, then
   * opens one for whoever chose it (the link proved the mailbox, the password was just typed), so
   * nobody types it twice. The link is single use: a second try is refused before any session.
   */
  async setPassword(token: string, password: string, origin: RequestOrigin): Promise<OpenedSession | null> {
    return this.transactions.run(async (tx) => {
      const row = await this.tokens.consume(tx, token);
      if (!row) throw new DomainError(ErrorCode.InvalidToken, 'Ce lien n’est plus valable : demandez-en un nouveau.');
      const user = await this.users.getById(row.userId, tx);
      assertAcceptablePassword(password, user.email);
      // One person, one password: their memberships of other faculties share it.
      const memberships = await this.users.idsOfEmail(user.email, tx);
      await this.users.setPasswordOfEmail(user.email, await hashPassword(password), tx);
      for (const membership of memberships) await this.sessions.revokeAll(membership, tx);
      await this.audit.record(
        { ...origin, userId: user.id },
        { action: row.purpose === 'invitation' ? 'auth.invitation_accepted' : 'auth.password_reset', subjectType: 'user', subjectId: user.id },
        tx,
      );
      return user.active ? this.sessions.open(user.id, origin, tx) : null;
    });
  }

  /** CARNET_ADMIN_EMAIL / CARNET_ADMIN_PASSWORD: the first admin, when there is none yet. */
  async onApplicationBootstrap(): Promise<void> {
    const first = this.config.firstAdmin;
    if (!first) return;
    const existing = await this.users.countAdmins();
    if (existing > 0) return;
    const email = first.email.toLowerCase();
    try {
      await this.transactions.run(async (tx) => {
        const found = await this.users.findByEmail(email, tx);
        const passwordHash = await hashPassword(first.password);
        if (found) {
          await this.users.update(found.id, { roles: [...new Set([...found.roles, 'admin' as const])], passwordHash, active: true }, tx);
        } else {
          await this.users.insert({ email, lastName: 'DUMG', firstName: 'Administration', roles: ['admin'], passwordHash, promotion: null, uppId: null }, tx);
        }
        await this.audit.record({ userId: null, ip: null, requestId: null, userAgent: null }, { action: 'admin.first_admin_created', subjectType: 'email', subjectId: email }, tx);
      });
      this.logger.log(`First admin ${email} created`);
    } catch (error) {
      // Another replica starting at the same moment created it first.
      if ((error as { code?: string }).code !== '23505') throw error;
    }
  }
}
