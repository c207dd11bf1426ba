import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { entityColumns, PreparedStatements, Trace, Tutorship } from '@carnet/database';
import { DomainError, ErrorCode, notFound } from '@carnet/domain';
import { OPEN_SESSION_INTERNS_SQL } from '@carnet/portfolio';
import { AuthContext, hasRole } from '../auth/auth-context';
import { SqlParams } from '../common/sql-params';

/**
 * How the caller relates to a trace, which decides what they see:
 * - `owner`: the intern who wrote it, everything;
 * - `tutor`: their active tutor (non-draft traces);
 * - `former_tutor`: a former tutor who reviewed it, read-only (no comment, no review);
 * - `jury`: a member of a jury session the intern is on, while it is open (validated traces, read-only);
 * - `admin`: metadata only (no title, no content);
 * anything else does not exist for them (404).
 */
export type TraceRelation = 'owner' | 'tutor' | 'former_tutor' | 'jury' | 'admin';

export interface VisibleSets {
  tutees: string[];
  former: string[];
  jury: string[];
}

/**
 * The caller's (`$1`) three sets of interns behind the tutor and jury relations: their tutees,
 * their former tutees (a tutorship ended), the interns of the open jury sessions they sit on.
 * Each is a few ids, however long the caller's history: a tutor's reviewed traces are found
 * through their former tutees, never listed.
 */
const SET_SQL = {
  tutees: `SELECT intern_id FROM tutorship WHERE tutor_id = $1 AND ended_at IS NULL`,
  former: `SELECT DISTINCT intern_id FROM tutorship WHERE tutor_id = $1 AND ended_at IS NOT NULL`,
  jury: `SELECT DISTINCT intern_id FROM (${OPEN_SESSION_INTERNS_SQL}) j`,
};
type SetName = keyof typeof SET_SQL;

/**
 * The one statement of who relates how to trace `t`, over SQL for the caller (`me`) and their
 * sets (bound arrays for a list, subqueries for a single trace). Fragments are built, and their
 * parameters bound, only when used.
 *
 * A tutor reads their tutees' submitted traces, and keeps reading those they reviewed (commented,
 * sent back, validated) after the tutorship ends. Reviewed traces are never drafts (a trace does
 * not go back to draft), so for a current tutee the first rule covers them; for a former tutee,
 * the reviewer row is probed for that trace only (its primary key), never gathered.
 */
function relationRule(me: () => string, set: (name: SetName) => string, has: (name: SetName) => boolean, admin: boolean) {
  // A set the caller does not have drops its arm: a plain intern's rule is `t.intern_id = me`.
  const arms = (...given: (false | (() => string))[]) => given.filter((arm) => arm !== false).map((arm) => arm());
  const active = () => (has('tutees') ? `(t.intern_id = ANY(${set('tutees')}) AND t.status <> 'draft')` : '');
  const former = () =>
    has('former') ? `(t.intern_id = ANY(${set('former')}) AND EXISTS (SELECT 1 FROM trace_reviewer r WHERE r.trace_id = t.id AND r.tutor_id = ${me()}))` : '';
  const sitting = () => (has('jury') ? `(t.intern_id = ANY(${set('jury')}) AND t.status = 'validated')` : '');
  return {
    visible: () => `(${[`t.intern_id = ${me()}`, active(), former(), sitting()].filter(Boolean).join(' OR ')})`,
    relation: () => {
      // The first arm that holds names the relation: a tutor again of a former tutee is their tutor.
      const arms = ([[active(), 'tutor'], [former(), 'former_tutor'], [sitting(), 'jury']] as const).filter(([sql]) => sql);
      return `(CASE WHEN t.intern_id = ${me()} THEN 'owner'${arms.map(([sql, name]) => ` WHEN ${sql} THEN '${name}'`).join('')}${admin ? ` ELSE 'admin'` : ''} END)`;
    },
  };
}

/** A set the caller's roles give them; empty otherwise. */
const hasSet = (auth: AuthContext, name: SetName) => hasRole(auth, name === 'jury' ? 'jury' : 'tutor');

@Injectable()
export class TraceAccessService {
  /** The trace's columns as the entity's properties: `load` returns what TypeORM would. */
  readonly traceColumns: string;

  constructor(
    private readonly statements: PreparedStatements,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.traceColumns = entityColumns(dataSource, Trace, 't');
  }

  /** The SQL expression giving the caller's (placeholder `me`) relation to trace `t` (NULL: none). */
  relationSql(auth: AuthContext, me: string): string {
    // For one trace, a tutor's sets narrow to its intern (key lookups, not a tutor's history).
    const narrowed = (name: SetName) => (name === 'jury' ? SET_SQL.jury : `${SET_SQL[name]} AND intern_id = t.intern_id`);
    const set = (name: SetName) => `ARRAY(${narrowed(name).replaceAll('$1', me)})`;
    return relationRule(() => me, set, (name) => hasSet(auth, name), hasRole(auth, 'admin')).relation();
  }

  /**
   * What the caller may see beyond their own traces, fetched once per request in one round trip
   * (none for a plain intern): their tutees, their former tutees, the interns of the open jury
   * sessions they sit on. Lists then filter on these ids, which indexes serve directly.
   */
  async visibleSets(manager: EntityManager, auth: AuthContext): Promise<VisibleSets> {
    if (!hasRole(auth, 'tutor') && !hasRole(auth, 'jury')) return { tutees: [], former: [], jury: [] };
    const sets = (['tutees', 'former', 'jury'] as const).map((name) => `${hasSet(auth, name) ? `ARRAY(${SET_SQL[name]})` : `'{}'::uuid[]`} AS ${name}`);
    const [row] = await this.statements.query<VisibleSets>(`SELECT ${sets.join(', ')}`, [auth.userId], manager);
    return row;
  }

  /**
   * SQL on alias `t` for a list: the predicate limiting rows to those the caller may see (none
   * for an admin, who sees every trace's metadata), the one limiting them to those whose content
   * they may read (an admin's included), and the caller's relation to each row; each binds its
   * parameters when used. With `sets` (fetched by `visibleSets`), they are bound arrays and a set
   * the caller does not have drops its arm; without, each set is a subquery of the statement
   * itself (no round trip before it), and the arms follow the caller's roles.
   */
  listScope(auth: AuthContext, sets: VisibleSets | null, params: SqlParams): { visible: string | null; readable: () => string; relation: () => string } {
    const admin = hasRole(auth, 'admin');
    const me = () => params.named('me', auth.userId);
    const rule = sets
      ? relationRule(me, (name) => `${params.named(name, sets[name])}::uuid[]`, (name) => sets[name].length > 0, admin)
      : relationRule(me, (name) => `ARRAY(${SET_SQL[name].replaceAll('$1', me())})`, (name) => hasSet(auth, name), admin);
    return { visible: admin ? null : rule.visible(), readable: rule.visible, relation: rule.relation };
  }

  /** The caller's relation to a trace without loading it (its content may weigh megabytes), or 404: for every check that needs only the relation. */
  async relationTo(manager: EntityManager, auth: AuthContext, id: string): Promise<TraceRelation> {
    const [row] = await this.statements.query<{ relation: TraceRelation | null }>(`SELECT ${this.relationSql(auth, '$1')} AS relation FROM trace t WHERE t.id = $2`, [auth.userId, id], manager);
    if (!row?.relation) throw notFound('Trace');
    return row.relation as TraceRelation;
  }

  /**
   * The trace and the caller's relation to it, or 404. `lock` takes a row lock for a change.
   * One prepared statement (a text per role combination and lock), on the transaction's
   * connection when `manager` holds one.
   */
  async load(manager: EntityManager, auth: AuthContext, id: string, lock = false): Promise<{ trace: Trace; relation: TraceRelation }> {
    const sql = `${this.selectSql(auth, '$1', '$2')}${lock ? ' FOR UPDATE OF t' : ''}`;
    const [row] = await this.statements.query<Trace & { relation: TraceRelation | null }>(sql, [auth.userId, id], manager);
    if (!row?.relation) throw notFound('Trace');
    const { relation, ...trace } = row;
    return { trace, relation };
  }

  /** The trace `id` (SQL) and the relation to it of the caller `me` (a placeholder), as `load` reads them. */
  selectSql(auth: AuthContext, me: string, id: string): string {
    return `SELECT ${this.traceColumns}, ${this.relationSql(auth, me)} AS relation FROM trace t WHERE t.id = ${id}`;
  }

  /** Is `tutorId` the intern's active tutor right now? */
  async isActiveTutor(manager: EntityManager, tutorId: string, internId: string): Promise<boolean> {
    return manager.getRepository(Tutorship).exists({ where: { tutorId, internId, endedAt: IsNull() } });
  }

  /** Remembers that a tutor reviewed a trace: they keep reading it after their tutorship ends. */
  async markReviewer(manager: EntityManager, traceId: string, tutorId: string): Promise<void> {
    await manager.query(`INSERT INTO trace_reviewer (trace_id, tutor_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [traceId, tutorId]);
  }

  /** The owner, their tutors and a sitting jury read content; an admin reads metadata only. */
  assertReadsContent(relation: TraceRelation): void {
    if (relation === 'admin') throw notFound('Trace');
  }

  /** Comments are the conversation between the intern and their tutors only (a former tutor reads it). */
  assertInConversation(relation: TraceRelation): void {
    if (relation !== 'owner' && relation !== 'tutor' && relation !== 'former_tutor') throw notFound('Trace');
  }

  /** Reading it: the conversation's members, and a sitting jury (a validated trace, read-only). */
  assertReadsConversation(relation: TraceRelation): void {
    if (relation !== 'jury') this.assertInConversation(relation);
  }

  /** Taking part in it (comment, resolve) is for the intern and their active tutor: read-only means read-only. */
  assertMayComment(relation: TraceRelation): void {
    this.assertInConversation(relation);
    if (relation === 'former_tutor') throw new DomainError(ErrorCode.Forbidden, 'Votre tutorat est terminé : vous pouvez relire cette trace, plus la commenter.');
  }

  assertOwner(relation: TraceRelation): void {
    if (relation === 'admin') throw notFound('Trace');
    if (relation !== 'owner') throw new DomainError(ErrorCode.Forbidden, 'Seul l’interne auteur de la trace peut faire cela.');
  }
}
