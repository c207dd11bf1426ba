import { Injectable } from '@nestjs/common';
import { Page, pageOf, Tenancy, Transactions, Tx, Upp, UppRepository, User, UserRepository, UserValues } from '@carnet/database';
import {
  assertAcceptablePassword,
  displayName,
  DomainError,
  ErrorCode,
  notFound,
  importWarnings,
  parseUserImport,
  FacultyRole,
  Role,
} from '@carnet/domain';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { hashPassword } from '../auth/auth.service';
import { IssuedLink, OneTimeTokensService } from '../auth/one-time-tokens.service';
import { SessionsService } from '../auth/sessions.service';
import { isUniqueViolation } from '@carnet/database';
import {
  CreateUserBody,
  ImportReport,
  InvitationIssued,
  InvitationView,
  ListInvitationsQuery,
  ListUsersQuery,
  UpdateUserBody,
  UserView,
} from './dto/users.dto';

export function userView(user: User, uppCode: string | null): UserView {
  return {
    id: user.id,
    email: user.email,
    lastName: user.lastName,
    firstName: user.firstName,
    displayName: displayName(user),
    roles: user.roles as FacultyRole[], // a faculty's member: the operator is in none
    upp: uppCode,
    promotion: user.promotion,
    active: user.active,
    createdAt: user.createdAt.toISOString(),
  };
}

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((role) => b.includes(role));

@Injectable()
export class UsersService {
  constructor(
    private readonly transactions: Transactions,
    private readonly users: UserRepository,
    private readonly upps: UppRepository,
    private readonly audit: AuditService,
    private readonly tokens: OneTimeTokensService,
    private readonly sessions: SessionsService,
  ) {}

  async create(auth: AuthContext, body: CreateUserBody): Promise<UserView & { invitation?: InvitationIssued }> {
    const email = body.email.trim().toLowerCase();
    if (body.password !== undefined) assertAcceptablePassword(body.password, email);
    const promotion = this.checkPromotion(body.roles, body.promotion ?? null);
    // A person already in another faculty keeps their one password (ADR 0007): this faculty's admin
    // neither chooses it nor receives a link that would (it would set it on every faculty's row).
    const elsewhere = await this.elsewhere(auth, email);
    if (elsewhere && body.password !== undefined) {
      const message = 'Cette personne a déjà un compte dans une autre faculté : elle garde son mot de passe.';
      throw new DomainError(ErrorCode.InvalidInput, message, [{ path: 'password', message }]);
    }
    try {
      const { user, upp, send, link } = await this.transactions.run(async (tx) => {
        const upp = body.upp ? await this.findUpp(tx, body.upp) : null;
        if (promotion !== null) await this.users.ensurePromotions([promotion], tx);
        const user = await this.users.create(
          {
            email,
            lastName: body.lastName.trim(),
            firstName: body.firstName.trim(),
            roles: body.roles,
            uppId: upp?.id ?? null,
            promotion,
            passwordHash: elsewhere ? elsewhere.passwordHash : body.password ? await hashPassword(body.password) : null,
          },
          tx,
        );
        await this.audit.record(auth, { action: 'user.created', subjectType: 'user', subjectId: user.id, details: { email, roles: body.roles } }, tx);
        // Already someone elsewhere: they sign in as they do and switch faculty; a link only by mail, to one who never chose a password.
        const invites = elsewhere ? elsewhere.passwordHash === null && this.tokens.mailConfigured : !body.password;
        const invitation = invites ? await this.tokens.issue(tx, user, 'invitation') : undefined;
        return { user, upp, send: invitation?.send, link: invitation?.link };
      });
      await send?.();
      const view = userView(user, upp?.code ?? null);
      return link ? { ...view, invitation: this.issued(link) } : view;
    } catch (error) {
      if (isUniqueViolation(error, 'app_user_email_key')) {
        throw new DomainError(ErrorCode.DuplicateEmail, `Un compte existe déjà pour ${email}.`, [{ path: 'email', message: 'déjà utilisée' }]);
      }
      throw error;
    }
  }

  /** The admin's user directory (UserRepository.directory): filters, a search by words, sorted by name. */
  async list(query: ListUsersQuery): Promise<Page<UserView>> {
    const { rows, total } = await this.users.directory(query);
    return pageOf(
      rows.map((u) => ({
        id: u.id,
        email: u.email,
        lastName: u.last_name,
        firstName: u.first_name,
        displayName: displayName({ firstName: u.first_name, lastName: u.last_name }),
        roles: u.roles as FacultyRole[],
        upp: u.upp,
        promotion: u.promotion,
        active: u.active,
        createdAt: u.created_at.toISOString(),
      })),
      total,
      query,
    );
  }

  async get(id: string): Promise<UserView> {
    const user = await this.users.findInRequestFaculty(id);
    if (!user) throw notFound('Utilisateur');
    return userView(user, user.upp?.code ?? null);
  }

  async update(auth: AuthContext, id: string, body: UpdateUserBody): Promise<UserView> {
    return this.transactions.run(async (tx) => {
      const user = await this.users.findWithUppForUpdate(id, tx);
      if (!user) throw notFound('Utilisateur');
      const before = { roles: user.roles, upp: user.upp?.code ?? null, promotion: user.promotion, active: user.active };
      const roles = body.roles ?? user.roles;
      const promotion = this.checkPromotion(roles, body.promotion === undefined ? (roles.includes('intern') ? user.promotion : null) : body.promotion);
      if (user.id === auth.userId && (!roles.includes('admin') || body.active === false)) {
        throw new DomainError(ErrorCode.Conflict, 'Vous ne pouvez pas retirer vos propres droits d’administration ni désactiver votre compte.');
      }
      const upp = body.upp === undefined ? user.upp ?? null : body.upp ? await this.findUpp(tx, body.upp) : null;
      if (promotion !== null) await this.users.ensurePromotions([promotion], tx);
      Object.assign(user, {
        lastName: body.lastName?.trim() ?? user.lastName,
        firstName: body.firstName?.trim() ?? user.firstName,
        roles,
        uppId: upp?.id ?? null,
        upp,
        promotion,
        active: body.active ?? user.active,
      });
      await this.users.save(user, tx);
      const after = { roles: user.roles, upp: upp?.code ?? null, promotion: user.promotion, active: user.active };
      if (!sameRoles(before.roles, after.roles)) {
        await this.audit.record(auth, { action: 'user.roles_changed', subjectType: 'user', subjectId: user.id, details: { from: before.roles, to: after.roles } }, tx);
      }
      await this.audit.record(auth, { action: 'user.updated', subjectType: 'user', subjectId: user.id, details: { before, after } }, tx);
      if (!user.active) await this.sessions.revokeAll(user.id, tx);
      else if (!sameRoles(before.roles, after.roles)) this.sessions.forgetUser(user.id, tx);
      return userView(user, upp?.code ?? null);
    });
  }

  /** Sends a new invitation link (the previous one stops working). */
  async invite(auth: AuthContext, id: string): Promise<InvitationIssued> {
    // Read before the transaction, not inside it: the check runs as the system on another
    // connection, which on the embedded database (one transaction at a time) would wait for the
    // transaction that waits for it.
    const invited = await this.users.findActive(id);
    if (!invited) throw notFound('Utilisateur');
    // A link to set the password of a person who is also in another faculty reaches them by mail only, never this admin's screen.
    if (!this.tokens.mailConfigured && (await this.elsewhere(auth, invited.email))) {
      throw new DomainError(
        ErrorCode.Conflict,
        'Cette personne a aussi un compte dans une autre faculté : sans envoi de courriel configuré, aucun lien ne peut lui être remis ici. Elle se connecte avec son mot de passe (ou le réinitialise par courriel) et change de faculté.',
      );
    }
    const { send, link } = await this.transactions.run(async (tx) => {
      const user = await this.users.findActive(id, tx);
      if (!user) throw notFound('Utilisateur');
      await this.audit.record(auth, { action: 'user.invited', subjectType: 'user', subjectId: id, details: { mailed: this.tokens.mailConfigured } }, tx);
      return this.tokens.issue(tx, user, 'invitation');
    });
    await send();
    return this.issued(link);
  }

  /** The same person's row in another faculty (their shared password hash), read as the system; null when none. */
  private async elsewhere(auth: AuthContext, email: string): Promise<{ passwordHash: string | null } | null> {
    return Tenancy.asSystem(() => this.users.passwordElsewhere(email, auth.facultyId));
  }

  /**
   * The link itself only when no mail can carry it (no SMTP_URL): then the admin hands it over.
   * With SMTP it stays in the mail, so an admin's screen never holds a working link it need not.
   */
  private issued(link: IssuedLink): InvitationIssued {
    const issued: InvitationIssued = { expiresAt: link.expiresAt.toISOString(), mailed: this.tokens.mailConfigured };
    if (!issued.mailed) issued.link = link.url;
    return issued;
  }

  /**
   * Each active user's latest invitation, newest first: pending (`sent`) until used or past its
   * date. A newer link voids the older ones, so the latest alone tells where the user stands.
   */
  async invitations(query: ListInvitationsQuery): Promise<Page<InvitationView> & { mailConfigured: boolean }> {
    const { rows, total } = await this.users.latestInvitations(query);
    const page = pageOf(
      rows.map((r) => ({
        userId: r.id,
        email: r.email,
        displayName: displayName({ firstName: r.first_name, lastName: r.last_name }),
        roles: r.roles,
        status: r.status,
        sentAt: r.created_at.toISOString(),
        expiresAt: r.expires_at.toISOString(),
        acceptedAt: r.used_at?.toISOString() ?? null,
      })),
      total,
      query,
    );
    return { ...page, mailConfigured: this.tokens.mailConfigured };
  }

  /**
   * The CSV import: every line checked first; any fault and nothing changes. Idempotent by
   * e-mail: known users are updated (roles are added, never removed: removing is an explicit
   * act), new users are created and invited.
   */
  async import(auth: AuthContext, csv: string, dryRun: boolean): Promise<ImportReport> {
    const { report, send } = await this.transactions.run(async (tx) => {
      const upps = await this.upps.all(tx);
      const uppIds = new Map(upps.map((u) => [u.code, u.id]));
      const parsed = parseUserImport(csv, new Set(uppIds.keys()), new Date().getUTCFullYear());
      const existing = await this.users.findByEmails(parsed.rows.map((r) => r.email), tx);
      const byEmail = new Map(existing.map((u) => [u.email, u]));

      const errors = [...parsed.errors];
      const toCreate: UserValues[] = [];
      const toUpdate: User[] = [];
      let unchanged = 0;
      for (const row of parsed.rows) {
        const current = byEmail.get(row.email);
        if (!current) {
          toCreate.push({
            email: row.email,
            lastName: row.lastName,
            firstName: row.firstName,
            roles: row.roles,
            uppId: row.upp ? uppIds.get(row.upp)! : null,
            promotion: row.promotion,
            passwordHash: null,
          });
          continue;
        }
        const roles = [...new Set([...current.roles, ...row.roles])];
        const promotion = roles.includes('intern') ? (row.promotion ?? current.promotion) : null;
        if (current.roles.includes('intern') !== roles.includes('intern') && promotion === null) {
          errors.push({ line: row.line, message: `${row.email} devient interne : indiquez sa promotion.` });
          continue;
        }
        const next = {
          lastName: row.lastName,
          firstName: row.firstName,
          roles,
          uppId: row.upp ? uppIds.get(row.upp)! : current.uppId,
          promotion,
        };
        const changed =
          next.lastName !== current.lastName ||
          next.firstName !== current.firstName ||
          !sameRoles(next.roles, current.roles) ||
          next.uppId !== current.uppId ||
          next.promotion !== current.promotion;
        if (changed) toUpdate.push(Object.assign(current, next));
        else unchanged++;
      }
      errors.sort((a, b) => a.line - b.line);
      const report: ImportReport = { created: toCreate.length, updated: toUpdate.length, unchanged, errors, applied: false };
      // Additive: present only when some field will be neutralised in the CSV exports.
      const warnings = importWarnings(parsed.rows);
      if (warnings.length) report.warnings = warnings;
      if (dryRun || errors.length) return { report, send: undefined };

      const promotions = [...new Set(parsed.rows.map((r) => r.promotion).filter((p): p is number => p !== null))];
      await this.users.ensurePromotions(promotions, tx);
      const created = await this.users.insertMany(toCreate, tx);
      for (const user of toUpdate) {
        await this.users.save(user, tx);
        this.sessions.forgetUser(user.id, tx); // roles may have been added
      }
      await this.audit.record(auth, { action: 'user.imported', subjectType: 'import', details: { created: report.created, updated: report.updated, unchanged } }, tx);
      const invitations = await this.tokens.issueMany(tx, created, 'invitation');
      return { report: { ...report, applied: true }, send: invitations.send };
    });
    await send?.(); // after the commit: a failed import invites nobody
    return report;
  }

  private checkPromotion(roles: readonly Role[], promotion: number | null): number | null {
    if (roles.includes('intern') && promotion === null) {
      throw new DomainError(ErrorCode.InvalidInput, 'Un interne doit être rattaché à une promotion.', [{ path: 'promotion', message: 'requise pour un interne' }]);
    }
    if (!roles.includes('intern') && promotion !== null) {
      throw new DomainError(ErrorCode.InvalidInput, 'Une promotion ne s’applique qu’aux internes.', [{ path: 'promotion', message: 'réservée aux internes' }]);
    }
    return promotion;
  }

  private async findUpp(tx: Tx, code: string): Promise<Upp> {
    const upp = await this.upps.findByCode(code.toLowerCase(), tx);
    if (!upp) throw new DomainError(ErrorCode.InvalidInput, `UPP inconnue « ${code} ».`, [{ path: 'upp', message: 'UPP inconnue' }]);
    return upp;
  }
}
