import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CARNET_CONFIG } from '@carnet/config';
import type { FacultyMembership, OperatorFacultyView } from '@carnet/contracts';
import { Faculty, FacultyRepository, Tenancy, Transactions, User } from '@carnet/database';
import { DEFAULT_RULES, DomainError, ErrorCode, notFound, OPERATOR, PHASES } from '@carnet/domain';
import type { ResolvedConfig } from '@carnet/infrastructure';
import { AuditService } from '../audit/audit.service';
import type { AuthContext, RequestOrigin } from '../auth/auth-context';
import { hashPassword } from '../auth/auth.service';
import { OneTimeTokensService } from '../auth/one-time-tokens.service';
import { OpenedSession, SessionsService } from '../auth/sessions.service';
import type { CreateFacultyBody, UpdateFacultyBody } from './faculties.dto';

/**
 * Faculties as their members and the national operator meet them. A person's memberships are
 * rows of other faculties, which their own faculty's scope cannot see: reading them, and the
 * operator's counts, are the system's work (`Tenancy.asSystem`), and nothing here returns a
 * faculty's content, only names and counts.
 */
@Injectable()
export class FacultiesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(FacultiesService.name);

  constructor(
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    private readonly sessions: SessionsService,
    private readonly tokens: OneTimeTokensService,
    private readonly audit: AuditService,
    private readonly faculties: FacultyRepository,
    private readonly transactions: Transactions,
  ) {}

  /** The faculties `email` is an active member of, in open faculties. */
  memberships(email: string): Promise<FacultyMembership[]> {
    return Tenancy.asSystem(async () => {
      const rows = await this.faculties.membershipsOf(email);
      return rows.map((row) => ({ id: row.id, code: row.code, name: row.name, roles: row.roles as FacultyMembership['roles'] }));
    });
  }

  /**
   * Moves the caller to their membership of `facultyId`: a new session for that row, this one
   * revoked (a session works in one faculty, so a stolen one reaches no other). Both faculties'
   * logs record it. 404 for a faculty they are not a member of.
   */
  async switchTo(auth: AuthContext, facultyId: string, origin: RequestOrigin): Promise<OpenedSession & { user: User }> {
    return Tenancy.asSystem(async () => {
      const target = await this.faculties.membershipIn(facultyId, auth.userId);
      if (!target) throw notFound('Faculté');
      if (target.id === auth.userId) throw new DomainError(ErrorCode.Conflict, 'Vous travaillez déjà dans cette faculté.');
      // A university vouches for its own faculty's members only: a session it opened does not
      // open the person's rows elsewhere. (A faculty's admin sets its provider; one asserting
      // someone else's address would otherwise reach that person in every faculty.) A password
      // is the person's own, across their rows: a session opened with it switches.
      const university = await this.faculties.universityOfSession(auth.sessionId);
      if (university !== null) {
        throw new DomainError(
          ErrorCode.Forbidden,
          `Vous êtes connecté(e) par l’ENT de ${university}, qui ne vaut que pour cette faculté : pour travailler dans une autre, déconnectez-vous puis connectez-vous avec son ENT ou votre mot de passe.`,
        );
      }
      return this.transactions.run(async (tx) => {
        const opened = await this.sessions.open(target.id, origin, tx);
        await this.sessions.revoke(auth.sessionId, tx);
        await this.audit.record(auth, { action: 'faculty.left', subjectType: 'faculty', subjectId: facultyId }, tx);
        await this.audit.record({ ...origin, userId: target.id }, { action: 'faculty.entered', subjectType: 'faculty', subjectId: facultyId }, tx);
        return { ...opened, user: target };
      });
    });
  }

  /** Every faculty (or the one `id`) with its counts (members by role, traces, exports): never a name of a member. */
  async list(id?: string): Promise<OperatorFacultyView[]> {
    return Tenancy.asSystem(async () => {
      const rows = await this.faculties.listWithCounts(id);
      return rows.map((row) => ({
        id: row.id,
        code: row.code,
        name: row.name,
        active: row.active,
        createdAt: row.created_at.toISOString(),
        counts: { interns: row.interns, tutors: row.tutors, juries: row.juries, admins: row.admins, traces: row.traces, exports: row.exports },
      }));
    });
  }

  /**
   * A new faculty and its first admin: invited by mail, or, when the same person is a member
   * elsewhere, with the password they already have (one person, one password).
   */
  async create(auth: AuthContext, body: CreateFacultyBody): Promise<OperatorFacultyView & { invitationLink?: string }> {
    const email = body.admin.email.trim().toLowerCase();
    const created = await Tenancy.asSystem(() =>
      this.transactions.run(async (tx) => {
        if (await this.faculties.codeTaken(body.code, tx)) {
          throw new DomainError(ErrorCode.Conflict, `Une faculté a déjà le code « ${body.code} ».`);
        }
        const faculty = await this.faculties.insert({ code: body.code, name: body.name.trim() }, tx);
        const existing = await this.faculties.memberWithPassword(email, tx);
        const admin = await this.faculties.insertMember(
          {
            email,
            firstName: body.admin.firstName.trim(),
            lastName: body.admin.lastName.trim(),
            roles: ['admin'],
            facultyId: faculty.id,
            passwordHash: existing?.passwordHash ?? null,
            promotion: null,
            uppId: null,
          },
          tx,
        );
        // The phase requirements a faculty judges by start as the product's defaults (progress,
        // jury files and the requirements page need a version of each), for its admin to change.
        await this.faculties.insertRequirements(faculty.id, PHASES.map((phase) => ({ phase, rules: DEFAULT_RULES[phase] })), tx);
        const invitation = existing?.passwordHash ? null : await this.tokens.issue(tx, admin, 'invitation');
        await this.audit.record(auth, { action: 'faculty.created', subjectType: 'faculty', subjectId: faculty.id, details: { code: faculty.code, admin: email } }, tx);
        return { faculty, invitation };
      }),
    );
    await created.invitation?.send();
    // The new faculty's own log starts with its creation.
    await Tenancy.run({ facultyId: created.faculty.id }, () =>
      this.audit.record(auth, { action: 'faculty.created', subjectType: 'faculty', subjectId: created.faculty.id, details: { code: created.faculty.code, admin: email } }),
    );
    const [view] = await this.list(created.faculty.id);
    return this.config.mail.smtpUrl || !created.invitation ? view : { ...view, invitationLink: created.invitation.link.url };
  }

  async update(auth: AuthContext, id: string, body: UpdateFacultyBody): Promise<OperatorFacultyView> {
    await Tenancy.asSystem(() =>
      this.transactions.run(async (tx) => {
        const faculty = await this.faculties.findById(id, tx);
        if (!faculty) throw notFound('Faculté');
        const changes: Partial<Faculty> = {};
        if (body.name !== undefined) changes.name = body.name.trim();
        if (body.active !== undefined) changes.active = body.active;
        await this.faculties.update(id, changes, tx);
        await this.audit.record(auth, { action: 'faculty.updated', subjectType: 'faculty', subjectId: id, details: { ...changes } }, tx);
        // Closing a faculty ends its members' sessions at once.
        if (body.active === false) await this.faculties.revokeMemberSessions(id, tx);
      }),
    );
    const [view] = await this.list(id);
    return view;
  }

  /** CARNET_OPERATOR_EMAIL / CARNET_OPERATOR_PASSWORD: the national operator, when there is none yet. */
  async onApplicationBootstrap(): Promise<void> {
    const operator = this.config.operator;
    if (!operator) return;
    try {
      await this.transactions.run(async (tx) => {
        const exists = await this.faculties.operatorExists(tx);
        if (exists) return;
        await this.faculties.insertOperator(
          {
            email: operator.email,
            firstName: 'Opérateur',
            lastName: 'national',
            roles: [OPERATOR],
            facultyId: null,
            passwordHash: await hashPassword(operator.password),
            promotion: null,
            uppId: null,
          },
          tx,
        );
        this.logger.log(`National operator ${operator.email} created`);
      });
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error; // another replica made it first
    }
  }
}
