import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { entityColumns, NO_TIES, PreparedStatements, ReaderTies, readerTiesSql, Trace, traceListSql, traceRelationSql, Tutorship } from '@carnet/database';
import { commentsOnTrace, DomainError, ErrorCode, notFound, readsTraceContent, readsTraceConversation, TraceRelation } from '@carnet/domain';
import { AuthContext } from '../auth/auth-context';
import { SqlParams } from '@carnet/database';

/** How the caller relates to a trace, which decides what they see (the domain's access rule); none is a 404. */
export type { TraceRelation };

export type VisibleSets = ReaderTies;

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
    return traceRelationSql(auth, me);
  }

  /**
   * What the caller may see beyond their own traces, fetched once per request in one round trip
   * (none for a plain intern): their tutees, their former tutees, the interns of the open jury
   * sessions they sit on. Lists then filter on these ids, which indexes serve directly.
   */
  async visibleSets(manager: EntityManager, auth: AuthContext): Promise<VisibleSets> {
    const sql = readerTiesSql(auth);
    if (!sql) return { ...NO_TIES };
    const [row] = await this.statements.query<VisibleSets>(sql, [auth.userId], manager);
    return row;
  }

  /**
   * SQL on alias `t` for a list (`traceListSql`): the rows the caller may see (null for an
   * admin), those whose content they may read, and their relation to each; each binds its
   * parameters in `params` when used.
   */
  listScope(auth: AuthContext, sets: VisibleSets | null, params: SqlParams): { visible: string | null; readable: () => string; relation: () => string } {
    return traceListSql(auth, sets, (name, value) => params.named(name, value));
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

  /** The owner, their tutors, a GEPT lead and a sitting jury read content; an admin reads metadata only. */
  assertReadsContent(relation: TraceRelation): void {
    if (!readsTraceContent(relation)) throw notFound('Trace');
  }

  /** The intern and their tutors, present or past: the patient-identifier report is theirs, not a GEPT lead's or a jury's. */
  assertOwnerOrTutors(relation: TraceRelation): void {
    if (relation !== 'owner' && relation !== 'tutor' && relation !== 'former_tutor') throw notFound('Trace');
  }

  /** Reading the conversation (the domain's rule): its members, a past tutor and a sitting jury (read-only). */
  assertReadsConversation(relation: TraceRelation): void {
    if (!readsTraceConversation(relation)) throw notFound('Trace');
  }

  /**
   * Taking part in it (comment, resolve): the intern, their active tutor and, on a write-up of
   * their group's meeting, the GEPT lead; read-only means read-only.
   */
  assertMayComment(relation: TraceRelation): void {
    this.assertReadsConversation(relation);
    if (relation === 'jury') throw notFound('Trace');
    if (!commentsOnTrace(relation)) throw new DomainError(ErrorCode.Forbidden, 'Votre tutorat est terminé : vous pouvez relire cette trace, plus la commenter.');
  }

  assertOwner(relation: TraceRelation): void {
    if (relation === 'admin') throw notFound('Trace');
    if (relation !== 'owner') throw new DomainError(ErrorCode.Forbidden, 'Seul l’interne auteur de la trace peut faire cela.');
  }
}
