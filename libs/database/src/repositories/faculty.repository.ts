import { Injectable } from '@nestjs/common';
import { Faculty, User } from '../entities';
import { Database, Tx } from './database';

/** A person's membership of an open faculty, as the faculty switcher lists it. */
export interface MembershipRow {
  id: string;
  code: string;
  name: string;
  roles: string[];
}

/** A faculty with its counts, as the operator sees it: never a name of a member. */
export interface FacultyCountsRow {
  id: string;
  code: string;
  name: string;
  active: boolean;
  created_at: Date;
  interns: number;
  tutors: number;
  juries: number;
  admins: number;
  traces: number;
  exports: number;
}

/** A new member's account, before its row exists. */
export type NewMember = Pick<User, 'email' | 'firstName' | 'lastName' | 'roles' | 'facultyId' | 'passwordHash' | 'promotion' | 'uppId'>;

/**
 * Faculties: looked up by code or id, a person's memberships across them, the operator's counts,
 * creating, changing and closing one, and the national operator's account. A person's rows in
 * other faculties are outside their own faculty's scope: the callers read them as the system.
 */
@Injectable()
export class FacultyRepository {
  constructor(private readonly db: Database) {}

  /** The faculty of code `code`, open or closed; null when there is none. */
  findByCode(code: string, tx?: Tx): Promise<Faculty | null> {
    return this.db.manager(tx).getRepository(Faculty).findOneBy({ code });
  }

  findById(id: string, tx?: Tx): Promise<Faculty | null> {
    return this.db.manager(tx).getRepository(Faculty).findOneBy({ id });
  }

  codeTaken(code: string, tx?: Tx): Promise<boolean> {
    return this.db.manager(tx).getRepository(Faculty).existsBy({ code });
  }

  /** The open faculties `email` is an active member of, by name. */
  membershipsOf(email: string): Promise<MembershipRow[]> {
    return this.db.query<MembershipRow>(
      `SELECT f.id, f.code, f.name, u.roles FROM app_user u JOIN faculty f ON f.id = u.faculty_id AND f.active
        WHERE u.email = $1 AND u.active ORDER BY f.name, f.code`,
      [email],
    );
  }

  /** The active account, in the open faculty `facultyId`, of the person whose account is `userId` (same e-mail). */
  membershipIn(facultyId: string, userId: string): Promise<User | null> {
    return this.db
      .manager()
      .getRepository(User)
      .createQueryBuilder('u')
      .innerJoin(Faculty, 'f', 'f.id = u.faculty_id AND f.active')
      .where('u.faculty_id = :facultyId AND u.active', { facultyId })
      .andWhere('u.email = (SELECT me.email FROM app_user me WHERE me.id = :me)', { me: userId })
      .getOne();
  }

  /** The name of the faculty whose university opened the session, or null (a password session). */
  async universityOfSession(sessionId: string): Promise<string | null> {
    const [opened] = await this.db.query<{ name: string }>(`SELECT f.name FROM session s JOIN faculty f ON f.id = s.university_faculty_id WHERE s.id = $1`, [sessionId]);
    return opened?.name ?? null;
  }

  /** Every faculty (or the one `id`) with its counts (members by role, traces, exports), by name. */
  listWithCounts(id?: string): Promise<FacultyCountsRow[]> {
    return this.db.query<FacultyCountsRow>(
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
  }

  insert(values: { code: string; name: string }, tx?: Tx): Promise<Faculty> {
    const manager = this.db.manager(tx);
    return manager.getRepository(Faculty).save(manager.create(Faculty, values));
  }

  /** An account of `email` in some faculty, its password hash included (one person, one password). */
  memberWithPassword(email: string, tx?: Tx): Promise<User | null> {
    return this.db.manager(tx).getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.email = :email AND u.faculty_id IS NOT NULL', { email }).getOne();
  }

  insertMember(values: NewMember, tx?: Tx): Promise<User> {
    const manager = this.db.manager(tx);
    return manager.getRepository(User).save(manager.create(User, values));
  }

  /** The faculty's first version of each phase's requirements. */
  async insertRequirements(facultyId: string, phases: { phase: string; rules: unknown }[], tx?: Tx): Promise<void> {
    for (const { phase, rules } of phases) {
      await this.db.query(`INSERT INTO phase_requirement (faculty_id, phase, version, rules) VALUES ($1, $2, 1, $3)`, [facultyId, phase, JSON.stringify(rules)], tx);
    }
  }

  async update(id: string, changes: Partial<Faculty>, tx?: Tx): Promise<void> {
    await this.db.manager(tx).update(Faculty, { id }, changes);
  }

  /** Ends the sessions of the faculty's members. */
  async revokeMemberSessions(facultyId: string, tx?: Tx): Promise<void> {
    await this.db.query(`UPDATE session SET revoked_at = now() WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM app_user WHERE faculty_id = $1)`, [facultyId], tx);
  }

  /** Whether the national operator's account exists. */
  operatorExists(tx?: Tx): Promise<boolean> {
    return this.db.manager(tx).getRepository(User).createQueryBuilder('u').where(`u.roles = ARRAY['operator']::text[]`).getExists();
  }

  async insertOperator(values: NewMember, tx?: Tx): Promise<void> {
    await this.db.manager(tx).insert(User, values);
  }
}
