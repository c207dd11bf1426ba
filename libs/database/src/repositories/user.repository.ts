import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { displayName } from '@carnet/domain';
import { Promotion, Tutorship, User } from '../entities';
import { inRequestFaculty, requestFacultySql } from '../tenancy';
import { offsetOf, PageRequest } from '../sql/paging';
import { SqlParams } from '../sql/sql-params';
import { Database, Tx } from './database';

/** A user's values as written: the entity's, without what the database gives a row. */
export type UserValues = Partial<Omit<User, 'id' | 'createdAt' | 'updatedAt' | 'upp'>>;

/** A faculty a person is a member of (a row of theirs there, active), and whether it is the row `userId`. */
export interface UserMembershipRow {
  id: string;
  code: string;
  name: string;
  roles: User['roles'];
  current: boolean;
}

/** The admin's directory: filters, a search by words, a page. */
export interface UserDirectoryQuery extends PageRequest {
  role?: string;
  upp?: string;
  promotion?: number;
  q?: string;
}

export interface UserDirectoryRow {
  id: string;
  email: string;
  last_name: string;
  first_name: string;
  roles: User['roles'];
  upp: string | null;
  promotion: number | null;
  active: boolean;
  created_at: Date;
}

/** Where an invitation stands: pending (`sent`) until used or past its date. */
export type InvitationState = 'sent' | 'accepted' | 'expired';

export interface InvitationListQuery extends PageRequest {
  status?: InvitationState;
  q?: string;
}

/** A user's latest invitation, as the admin's list of invitations shows it. */
export interface InvitationRow {
  id: string;
  email: string;
  last_name: string;
  first_name: string;
  roles: User['roles'];
  status: InvitationState;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

const searchWords = (q: string | undefined) => q?.trim().toLowerCase().split(/\s+/).filter(Boolean).slice(0, 5) ?? [];

/** A word found in the folded name or address of `u` (the trigram index), LIKE's wildcards escaped. */
function nameMatches(params: SqlParams, word: string): string {
  const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return `public.carnet_fold(u.last_name || ' ' || u.first_name || ' ' || u.email) LIKE public.carnet_fold(${params.add(pattern)})`;
}

/** The people (`app_user`): sign-in, the admin's directory and its changes, the invitations' list, names. */
@Injectable()
export class UserRepository {
  constructor(private readonly db: Database) {}

  /**
   * The active row (with its password hash) that signing in with `email` opens, or null. A person
   * in several faculties has a row in each (one password): signing in opens the one they last
   * worked in, of a faculty still open and a membership still active (a row closed there, as by a
   * portfolio's transfer, leaves the others); the switcher moves between them.
   */
  async findForSignIn(email: string): Promise<User | null> {
    return this.db
      .manager()
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .andWhere('(u.faculty_id IS NULL OR EXISTS (SELECT 1 FROM faculty f WHERE f.id = u.faculty_id AND f.active))')
      .andWhere('u.active')
      .orderBy('(SELECT max(s.created_at) FROM session s WHERE s.user_id = u.id)', 'DESC', 'NULLS LAST')
      .addOrderBy('u.created_at', 'ASC')
      .getOne();
  }

  /** A user with their UPP; throws when there is none. */
  async getWithUpp(id: string): Promise<User> {
    return this.db.manager().getRepository(User).findOneOrFail({ where: { id }, relations: { upp: true } });
  }

  /** A user, or null. */
  byId(id: string, tx?: Tx): Promise<User | null> {
    return this.db.manager(tx).getRepository(User).findOneBy({ id });
  }

  /** The users among `ids` (none asked: none read). */
  async byIds(ids: string[], tx?: Tx): Promise<User[]> {
    if (!ids.length) return [];
    return this.db.manager(tx).getRepository(User).findBy({ id: In([...new Set(ids)]) });
  }

  /** A user; throws when there is none. */
  async getById(id: string, tx?: Tx): Promise<User> {
    return this.db.manager(tx).getRepository(User).findOneByOrFail({ id });
  }

  /** The request's faculty's user with their UPP, or null. */
  async findInRequestFaculty(id: string): Promise<User | null> {
    return this.db.manager().getRepository(User).findOne({ where: { id, facultyId: inRequestFaculty() }, relations: { upp: true } });
  }

  /** A user with their UPP, locked (their row only) until the transaction ends; null when none. */
  async findWithUppForUpdate(id: string, tx: Tx): Promise<User | null> {
    return this.db.manager(tx).getRepository(User).findOne({ where: { id }, relations: { upp: true }, lock: { mode: 'pessimistic_write', tables: ['app_user'] } });
  }

  /** A user locked until the transaction ends; null when none. */
  async findForUpdate(id: string, tx: Tx): Promise<User | null> {
    return this.db.manager(tx).getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** An active user, or null. */
  async findActive(id: string, tx?: Tx): Promise<User | null> {
    return this.db.manager(tx).getRepository(User).findOneBy({ id, active: true });
  }

  /** An active user of this address, or null. */
  async findActiveByEmail(email: string, tx?: Tx): Promise<User | null> {
    return this.db.manager(tx).getRepository(User).findOneBy({ email, active: true });
  }

  /** A user of this address, or null. */
  async findByEmail(email: string, tx?: Tx): Promise<User | null> {
    return this.db.manager(tx).getRepository(User).findOneBy({ email });
  }

  /** The users of these addresses. */
  async findByEmails(emails: string[], tx?: Tx): Promise<User[]> {
    return this.db.manager(tx).getRepository(User).find({ where: { email: In(emails) } });
  }

  /** The ids of every row of a person (one per faculty they are a member of). */
  async idsOfEmail(email: string, tx?: Tx): Promise<string[]> {
    const rows = await this.db.manager(tx).getRepository(User).find({ select: { id: true }, where: { email } });
    return rows.map((row) => row.id);
  }

  /** The person's memberships (active, of open faculties), by faculty name; `current` marks the row `userId`. */
  async membershipsOf(email: string, userId: string): Promise<UserMembershipRow[]> {
    return this.db.query<UserMembershipRow>(
      `SELECT f.id, f.code, f.name, u.roles, u.id = $2 AS current FROM app_user u JOIN faculty f ON f.id = u.faculty_id AND f.active
          WHERE u.email = $1 AND u.active ORDER BY f.name, f.code`,
      [email, userId],
    );
  }

  /** The same person's row in another faculty than `facultyId` (their shared password hash); null when none. */
  async passwordElsewhere(email: string, facultyId: string | null): Promise<{ passwordHash: string | null } | null> {
    const [row] = await this.db.query<{ passwordHash: string | null }>(
      `SELECT password_hash AS "passwordHash" FROM app_user WHERE email = $1 AND faculty_id IS NOT NULL AND faculty_id IS DISTINCT FROM $2 ORDER BY password_hash IS NULL LIMIT 1`,
      [email, facultyId],
    );
    return row ?? null;
  }

  /** A tutor's active tutorships, their interns with them, latest promotion first. */
  async activeTuteesOf(tutorId: string): Promise<Tutorship[]> {
    return this.db.manager().getRepository(Tutorship).find({ where: { tutorId, endedAt: IsNull() }, relations: { intern: true }, order: { promotion: 'DESC' } });
  }

  /** An intern's active tutorships, their tutors with them. */
  async activeTutorsOf(internId: string): Promise<Tutorship[]> {
    return this.db.manager().getRepository(Tutorship).find({ where: { internId, endedAt: IsNull() }, relations: { tutor: true } });
  }

  /** How many admins there are. */
  async countAdmins(): Promise<number> {
    return this.db.manager().getRepository(User).createQueryBuilder('u').where(`'admin' = ANY(u.roles)`).getCount();
  }

  /** Inserts a user and returns it saved (its id, its defaults). */
  async create(values: UserValues, tx?: Tx): Promise<User> {
    const manager = this.db.manager(tx);
    const user = manager.create(User, values);
    await manager.save(user);
    return user;
  }

  /** Inserts users, 500 a statement; returns them with their ids. */
  async insertMany(values: UserValues[], tx?: Tx): Promise<User[]> {
    const manager = this.db.manager(tx);
    const users = values.map((value) => manager.create(User, value));
    for (let i = 0; i < users.length; i += 500) await manager.insert(User, users.slice(i, i + 500));
    return users;
  }

  /** Inserts a user. */
  async insert(values: UserValues, tx?: Tx): Promise<void> {
    await this.db.manager(tx).insert(User, values);
  }

  /** Saves the changes made to a loaded user. */
  async save(user: User, tx?: Tx): Promise<void> {
    await this.db.manager(tx).save(user);
  }

  /** Sets these values on a user. */
  async update(id: string, values: UserValues, tx?: Tx): Promise<void> {
    await this.db.manager(tx).update(User, { id }, values);
  }

  async setReminders(userId: string, reminders: boolean): Promise<void> {
    await this.db.manager().getRepository(User).update({ id: userId }, { remindersEnabled: reminders });
  }

  /** Sets the password of a person: on every row of theirs (one person, one password). */
  async setPasswordOfEmail(email: string, passwordHash: string, tx?: Tx): Promise<void> {
    await this.db.manager(tx).update(User, { email }, { passwordHash });
  }

  /** Adds the promotions not known yet. */
  async ensurePromotions(years: number[], tx?: Tx): Promise<void> {
    if (years.length)
      await this.db
        .manager(tx)
        .createQueryBuilder()
        .insert()
        .into(Promotion)
        .values(years.map((year) => ({ year })))
        .orIgnore()
        .execute();
  }

  /**
   * The admin's user directory: filters, and a search by words each found in the folded name or
   * address (trigram index), sorted by name; the total counted beside the page. A word of three
   * letters or more is looked up in the trigram index first, then the matches sorted: walking the
   * name index and folding each name until 50 match walks half the directory for "mart" (the
   * Martins sort in the middle), which the planner cannot foresee (docs/benchmarks.md).
   */
  async directory(query: UserDirectoryQuery): Promise<{ rows: UserDirectoryRow[]; total: number }> {
    const params = new SqlParams();
    const where: string[] = [requestFacultySql('u')];
    if (query.role) where.push(`${params.add(query.role)} = ANY(u.roles)`);
    if (query.upp) where.push(`upp.code = ${params.add(query.upp.toLowerCase())}`);
    if (query.promotion) where.push(`u.promotion = ${params.add(query.promotion)}`);
    const words = searchWords(query.q);
    where.push(...words.map((word) => nameMatches(params, word)));
    const from = `FROM app_user u LEFT JOIN upp ON upp.id = u.upp_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    const counted = [...params.values];
    const columns = `u.id, u.email, u.last_name, u.first_name, u.roles, upp.code AS upp, u.promotion, u.active, u.created_at`;
    const page = `ORDER BY u.last_name, u.first_name, u.id LIMIT ${params.add(query.pageSize)} OFFSET ${params.add(offsetOf(query))}`;
    const [rows, [{ total }]] = await Promise.all([
      this.db.query<UserDirectoryRow>(
        words.some((word) => word.length >= 3)
          ? `WITH u AS MATERIALIZED (SELECT ${columns} ${from}) SELECT * FROM u ${page}`
          : `SELECT ${columns} ${from} ${page}`,
        params.values,
      ),
      this.db.query<{ total: number }>(`SELECT count(*)::int AS total ${from}`, counted),
    ]);
    return { rows, total };
  }

  /**
   * Each active user's latest invitation (of the request's faculty), newest first: pending
   * (`sent`) until used or past its date. A newer link voids the older ones, so the latest alone
   * tells where the user stands.
   */
  async latestInvitations(query: InvitationListQuery): Promise<{ rows: InvitationRow[]; total: number }> {
    const params = new SqlParams();
    const where: string[] = ['u.active', requestFacultySql('u')];
    const status = `CASE WHEN t.used_at IS NOT NULL THEN 'accepted' WHEN t.expires_at <= now() THEN 'expired' ELSE 'sent' END`;
    if (query.status) where.push(`${status} = ${params.add(query.status)}`);
    where.push(...searchWords(query.q).map((word) => nameMatches(params, word)));
    const from = `FROM (SELECT DISTINCT ON (user_id) * FROM one_time_token WHERE purpose = 'invitation' ORDER BY user_id, created_at DESC, id) t
      JOIN app_user u ON u.id = t.user_id WHERE ${where.join(' AND ')}`;
    const counted = [...params.values];
    const [rows, [{ total }]] = await Promise.all([
      this.db.query<InvitationRow>(
        `SELECT u.id, u.email, u.last_name, u.first_name, u.roles, ${status} AS status, t.created_at, t.expires_at, t.used_at ${from}
         ORDER BY t.created_at DESC, u.last_name, u.id LIMIT ${params.add(query.pageSize)} OFFSET ${params.add(offsetOf(query))}`,
        params.values,
      ),
      this.db.query<{ total: number }>(`SELECT count(*)::int AS total ${from}`, counted),
    ]);
    return { rows, total };
  }

  /**
   * The names of the people `ids` as this faculty may show them: its own people's, and for those of
   * another faculty that a moved portfolio names (a stage's supervisor, a meeting's tutor: rows of
   * the old faculty, out of this one's reach) the name kept at the move, `portfolio_transfer_person`
   * (ADR 0007). Anyone else: no name.
   */
  async namesOf(ids: string[], tx?: Tx): Promise<Map<string, string>> {
    return readNames((wanted) => this.db.query<NameRow>(NAMES_SQL, [wanted], tx), ids);
  }

}

interface NameRow {
  id: string;
  firstName: string | null;
  lastName: string | null;
  kept: string | null;
}

const NAMES_SQL = `SELECT u.id, u.first_name AS "firstName", u.last_name AS "lastName", NULL AS kept FROM app_user u WHERE u.id = ANY($1::uuid[])
     UNION ALL SELECT p.user_id, NULL, NULL, p.display_name FROM portfolio_transfer_person p WHERE p.user_id = ANY($1::uuid[])`;

async function readNames(read: (wanted: string[]) => Promise<NameRow[]>, ids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = await read(wanted);
  const names = new Map<string, string>();
  for (const row of rows) {
    if (row.kept === null) names.set(row.id, displayName({ firstName: row.firstName ?? '', lastName: row.lastName ?? '' }));
    else if (!names.has(row.id)) names.set(row.id, row.kept);
  }
  return names;
}
