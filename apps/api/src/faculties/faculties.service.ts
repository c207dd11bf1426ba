import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CARNET_CONFIG } from '@carnet/config';
import type { FacultyMembership, OperatorFacultyView } from '@carnet/contracts';
import { Faculty, Tenancy, User } from '@carnet/database';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    private readonly sessions: SessionsService,
    private readonly tokens: OneTimeTokensService,
    private readonly audit: AuditService,
  ) {}

  /** The faculties `email` is an active member of, in open faculties. */
  memberships(email: string): Promise<FacultyMembership[]> {
    return Tenancy.asSystem(async () => {
      const rows: { id: string; code: string; name: string; roles: string[] }[] = await this.dataSource.query(
        `SELECT f.id, f.code, f.name, u.roles FROM app_user u JOIN faculty f ON f.id = u.faculty_id AND f.active
          WHERE u.email = $1 AND u.active ORDER BY f.name, f.code`,
        [email],
      );
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
      const target = await this.dataSource
        .getRepository(User)
        .createQueryBuilder('u')
        .innerJoin(Faculty, 'f', 'f.id = u.faculty_id AND f.active')
        .where('u.faculty_id = :facultyId AND u.active', { facultyId })
        .andWhere('u.email = (SELECT me.email FROM app_user me WHERE me.id = :me)', { me: auth.userId })
        .getOne();
      if (!target) throw notFound('Faculté');
      if (target.id === auth.userId) throw new DomainError(ErrorCode.Conflict, 'Vous travaillez déjà dans cette faculté.');
      // A university vouches for its own faculty's members only: a session it opened does not
      // open the person's rows elsewhere. (A faculty's admin sets its provider; one asserting
      // someone else's address would otherwise reach that person in every faculty.) A password
      // is the person's own, across their rows: a session opened with it switches.
      const [opened] = (await this.dataSource.query(
        `SELECT f.name FROM session s JOIN faculty f ON f.id = s.university_faculty_id WHERE s.id = $1`,
        [auth.sessionId],
      )) as { name: string }[];
      if (opened) {
        throw new DomainError(
          ErrorCode.Forbidden,
          `Vous êtes connecté(e) par l’ENT de ${opened.name}, qui ne vaut que pour cette faculté : pour travailler dans une autre, déconnectez-vous puis connectez-vous avec son ENT ou votre mot de passe.`,
        );
      }
      return this.dataSource.transaction(async (manager) => {
        const opened = await this.sessions.open(target.id, origin, manager);
        await this.sessions.revoke(auth.sessionId, manager);
        await this.audit.record(auth, { action: 'faculty.left', subjectType: 'faculty', subjectId: facultyId }, manager);
        await this.audit.record({ ...origin, userId: target.id }, { action: 'faculty.entered', subjectType: 'faculty', subjectId: facultyId }, manager);
        return { ...opened, user: target };
      });
    });
  }

  /** Every faculty (or the one `id`) with its counts (members by role, traces, exports): never a name of a member. */
  async list(id?: string): Promise<OperatorFacultyView[]> {
    return Tenancy.asSystem(async () => {
      const rows: { id: string; code: string; name: string; active: boolean; created_at: Date; interns: number; tutors: number; juries: number; admins: number; traces: number; exports: number }[] =
        await this.dataSource.query(
          `SELECT f.id, f.code, f.name, f.active, f.created_at,
                  coalesce(m.interns, 0)::int AS interns, coalesce(m.tutors, 0)::int AS tutors,
                  coalesce(m.juries, 0)::int AS juries, coalesce(m.admins, 0)::int AS admins,
                  coalesce((SELECT sum(n) FROM trace_tally t WHERE t.faculty_id = f.id), 0)::int AS traces,
                  (SELECT count(*) FROM portfolio_export e WHERE e.faculty_id = f.id)::int AS exports
             FROM faculty f
             LEFT JOIN LATERAL (
               SELECT count(*) FILTER (WHERE 'intern' = ANY(u.roles)) AS interns, count(*) FILTER (WHERE 'tutor' = ANY(u.roles)) AS tutors,
                      count(*) FILTER (WHERE 'jury' = ANY(u.roles)) AS juries, count(*) FILTER (WHERE 'admin' = ANY(u.roles)) AS admins
                 FROM app_user u WHERE u.faculty_id = f.id AND u.active) m ON true
            WHERE $1::uuid IS NULL OR f.id = $1
            ORDER BY f.name, f.code`,
          [id ?? null],
        );
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
      this.dataSource.transaction(async (manager) => {
        if (await manager.getRepository(Faculty).existsBy({ code: body.code })) {
          throw new DomainError(ErrorCode.Conflict, `Une faculté a déjà le code « ${body.code} ».`);
        }
        const faculty = await manager.getRepository(Faculty).save(manager.create(Faculty, { code: body.code, name: body.name.trim() }));
        const existing = await manager.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.email = :email AND u.faculty_id IS NOT NULL', { email }).getOne();
        const admin = await manager.getRepository(User).save(
          manager.create(User, {
            email,
            firstName: body.admin.firstName.trim(),
            lastName: body.admin.lastName.trim(),
            roles: ['admin'],
            facultyId: faculty.id,
            passwordHash: existing?.passwordHash ?? null,
            promotion: null,
            uppId: null,
          }),
        );
        // The phase requirements a faculty judges by start as the product's defaults (progress,
        // jury files and the requirements page need a version of each), for its admin to change.
        for (const phase of PHASES) {
          await manager.query(`INSERT INTO phase_requirement (faculty_id, phase, version, rules) VALUES ($1, $2, 1, $3)`, [faculty.id, phase, JSON.stringify(DEFAULT_RULES[phase])]);
        }
        const invitation = existing?.passwordHash ? null : await this.tokens.issue(manager, admin, 'invitation');
        await this.audit.record(auth, { action: 'faculty.created', subjectType: 'faculty', subjectId: faculty.id, details: { code: faculty.code, admin: email } }, manager);
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
      this.dataSource.transaction(async (manager) => {
        const faculty = await manager.getRepository(Faculty).findOneBy({ id });
        if (!faculty) throw notFound('Faculté');
        const changes: Partial<Faculty> = {};
        if (body.name !== undefined) changes.name = body.name.trim();
        if (body.active !== undefined) changes.active = body.active;
        await manager.update(Faculty, { id }, changes);
        await this.audit.record(auth, { action: 'faculty.updated', subjectType: 'faculty', subjectId: id, details: { ...changes } }, manager);
        // Closing a faculty ends its members' sessions at once.
        if (body.active === false) await manager.query(`UPDATE session SET revoked_at = now() WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM app_user WHERE faculty_id = $1)`, [id]);
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
      await this.dataSource.transaction(async (manager) => {
        const exists = await manager.getRepository(User).createQueryBuilder('u').where(`u.roles = ARRAY['operator']::text[]`).getExists();
        if (exists) return;
        await manager.insert(User, {
          email: operator.email,
          firstName: 'Opérateur',
          lastName: 'national',
          roles: [OPERATOR],
          facultyId: null,
          passwordHash: await hashPassword(operator.password),
          promotion: null,
          uppId: null,
        });
        this.logger.log(`National operator ${operator.email} created`);
      });
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error; // another replica made it first
    }
  }
}
