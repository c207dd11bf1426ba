import { Injectable } from '@nestjs/common';
import { commentsOnTrace, TRACE_RELATIONS, TraceRelation } from '@carnet/domain';
import type { AccessReader } from '../access-sql';
import { TraceComment, User } from '../entities';
import { SqlParams } from '../sql/sql-params';
import { AuditActor, AuditRepository } from './audit.repository';
import { Database, Tx } from './database';
import { TraceAccessRepository } from './trace-access.repository';

/** The relations that take part in the conversation (the domain's `commentsOnTrace`), as the insert's guard. */
const COMMENTING = TRACE_RELATIONS.filter(commentsOnTrace);

/** A comment as the entity holds it, or as the list query selects it (named alike). */
export type CommentFields = Omit<TraceComment, 'trace' | 'author'> & { author?: Pick<User, 'firstName' | 'lastName'> };

/** What a new comment says, and where: its parent (a reply) and the passage it is anchored on. */
export interface NewComment {
  body: string;
  parentId: string | null;
  anchor: { from: number; to: number; quote: string } | null;
}

/**
 * A comment (alias `c`) and its author (`u`), named as `CommentFields`. On a trace that came from
 * another faculty, an author of that faculty is named as they were (`tp`, the transfer's record).
 */
const commentColumns = (c: string) => `${c}.id, ${c}.trace_id AS "traceId", ${c}.parent_id AS "parentId", ${c}.author_id AS "authorId",
  CASE WHEN u.id IS NOT NULL THEN json_build_object('firstName', u.first_name, 'lastName', u.last_name)
       WHEN tp.user_id IS NOT NULL THEN json_build_object('firstName', tp.display_name, 'lastName', '') END AS author, ${c}.body,
  ${c}.anchor_from AS "anchorFrom", ${c}.anchor_to AS "anchorTo", ${c}.anchor_quote AS "anchorQuote", ${c}.revision,
  ${c}.created_at AS "createdAt", ${c}.resolved_at AS "resolvedAt", ${c}.resolved_by AS "resolvedBy"`;

/** The threaded comments of a trace, and who has read them up to when. */
@Injectable()
export class CommentRepository {
  constructor(
    private readonly db: Database,
    private readonly access: TraceAccessRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** The trace's comments with their authors, oldest first. */
  listOf(traceId: string, tx?: Tx): Promise<CommentFields[]> {
    return this.db.prepared<CommentFields>(
      `SELECT ${commentColumns('c')} FROM trace_comment c LEFT JOIN app_user u ON u.id = c.author_id LEFT JOIN portfolio_transfer_person tp ON tp.user_id = c.author_id WHERE c.trace_id = $1 ORDER BY c.created_at, c.id`,
      [traceId],
      tx,
    );
  }

  /** The reader has read the trace's conversation now. */
  async markRead(userId: string, traceId: string, tx?: Tx): Promise<void> {
    await this.db.prepared(
      `INSERT INTO trace_read (user_id, trace_id, seen_at) VALUES ($1, $2, now()) ON CONFLICT (user_id, trace_id) DO UPDATE SET seen_at = now()`,
      [userId, traceId],
      tx,
    );
  }

  /**
   * One statement: the reader's relation to the trace, the comment (on the trace's latest
   * revision) if that relation takes part in the conversation, the reviewer row a tutor's comment
   * leaves (they keep reading the trace after the tutorship ends) and the audit entry (by
   * `actor`), all saved or none. Its row: the relation (null: no trace for the reader) and the
   * comment saved (its id null: nothing saved, the relation not commenting or no such parent).
   */
  async createIfAllowed(
    reader: AccessReader,
    actor: AuditActor,
    traceId: string,
    comment: NewComment,
    tx?: Tx,
  ): Promise<(CommentFields & { relation: TraceRelation | null }) | undefined> {
    const params = new SqlParams();
    const me = params.add(reader.userId);
    const parentId = params.add(comment.parentId);
    const parent = comment.parentId ? `AND EXISTS (SELECT 1 FROM trace_comment p WHERE p.id = ${parentId} AND p.trace_id = target.id)` : '';
    const values = [parentId, ...[comment.body, comment.anchor?.from ?? null, comment.anchor?.to ?? null, comment.anchor?.quote ?? null].map((value) => params.add(value))];
    const sql = `WITH target AS (SELECT t.id, ${this.access.relationSql(reader, me)} AS relation FROM trace t WHERE t.id = ${params.add(traceId)}),
      saved AS (
        INSERT INTO trace_comment (trace_id, author_id, parent_id, body, anchor_from, anchor_to, anchor_quote, revision)
        SELECT target.id, ${me}, ${values.join(', ')}, (SELECT max(r.number) FROM trace_revision r WHERE r.trace_id = target.id)
          FROM target WHERE target.relation IN (${COMMENTING.map((r) => `'${r}'`).join(', ')}) ${parent}
        RETURNING *),
      reviewer AS (INSERT INTO trace_reviewer (trace_id, tutor_id) SELECT saved.trace_id, ${me} FROM saved, target WHERE target.relation = 'tutor' ON CONFLICT DO NOTHING),
      audit AS (${this.audit.insertSql(actor, { action: 'comment.created', subjectType: 'trace' }, params, { from: 'saved', subjectId: 'saved.trace_id::text', details: `jsonb_build_object('commentId', saved.id)` })})
      SELECT target.relation, ${commentColumns('saved')}
        FROM target LEFT JOIN saved ON true LEFT JOIN app_user u ON u.id = saved.author_id LEFT JOIN portfolio_transfer_person tp ON false`;
    const [row] = await this.db.prepared<CommentFields & { relation: TraceRelation | null }>(sql, params.values, tx);
    return row;
  }

  /** A reviewer's comment on the whole trace (requesting changes, validating), on revision `revision`. */
  async insertReview(comment: Pick<TraceComment, 'traceId' | 'authorId' | 'body' | 'revision'>, tx?: Tx): Promise<void> {
    await this.db.manager(tx).insert(TraceComment, { ...comment, parentId: null, anchorFrom: null, anchorTo: null, anchorQuote: null });
  }

  /** The comment with its author, or null. */
  findWithAuthor(commentId: string, tx?: Tx): Promise<TraceComment | null> {
    return this.db.manager(tx).getRepository(TraceComment).findOne({ where: { id: commentId }, relations: { author: true } });
  }

  async markResolved(commentId: string, resolvedAt: Date, resolvedBy: string, tx?: Tx): Promise<void> {
    await this.db.manager(tx).update(TraceComment, { id: commentId }, { resolvedAt, resolvedBy });
  }
}
