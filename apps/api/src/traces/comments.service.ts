import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PreparedStatements, TraceComment, User } from '@carnet/database';
import { commentsOnTrace, displayName, DomainError, ErrorCode, notFound, TRACE_RELATIONS } from '@carnet/domain';
import type { CommentView } from '@carnet/contracts';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { CreateCommentBody } from './dto/traces.dto';
import { TraceAccessService, TraceRelation } from './trace-access.service';
import { SqlParams } from '@carnet/database';

export type { CommentView };

/** The relations that take part in the conversation (the domain's `commentsOnTrace`), as the insert's guard. */
const COMMENTING = TRACE_RELATIONS.filter(commentsOnTrace);

/** A comment as the entity holds it, or as the list query selects it (named alike). */
type CommentFields = Omit<TraceComment, 'trace' | 'author'> & { author?: Pick<User, 'firstName' | 'lastName'> };

const view = (c: CommentFields): CommentView => ({
  id: c.id,
  traceId: c.traceId,
  parentId: c.parentId,
  author: { id: c.authorId, displayName: c.author ? displayName(c.author).trim() : '' },
  body: c.body,
  anchor: c.anchorQuote !== null ? { from: c.anchorFrom!, to: c.anchorTo!, quote: c.anchorQuote } : null,
  revision: c.revision,
  createdAt: c.createdAt.toISOString(),
  resolvedAt: c.resolvedAt?.toISOString() ?? null,
  resolvedBy: c.resolvedBy,
});

/**
 * A comment (alias `c`) and its author (`u`), named as `CommentFields`. On a trace that came from
 * another faculty, an author of that faculty is named as they were (`tp`, the transfer's record).
 */
const commentColumns = (c: string) => `${c}.id, ${c}.trace_id AS "traceId", ${c}.parent_id AS "parentId", ${c}.author_id AS "authorId",
  CASE WHEN u.id IS NOT NULL THEN json_build_object('firstName', u.first_name, 'lastName', u.last_name)
       WHEN tp.user_id IS NOT NULL THEN json_build_object('firstName', tp.display_name, 'lastName', '') END AS author, ${c}.body,
  ${c}.anchor_from AS "anchorFrom", ${c}.anchor_to AS "anchorTo", ${c}.anchor_quote AS "anchorQuote", ${c}.revision,
  ${c}.created_at AS "createdAt", ${c}.resolved_at AS "resolvedAt", ${c}.resolved_by AS "resolvedBy"`;

/**
 * Threaded comments between an intern and their tutor, and on a GEPT write-up the group's lead
 * (the domain's `commentsOnTrace`). An anchored comment stores the quoted
 * passage with its positions, so it still shows what it was about after the text moves.
 */
@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: TraceAccessService,
    private readonly audit: AuditService,
    private readonly statements: PreparedStatements,
  ) {}

  async list(auth: AuthContext, traceId: string): Promise<CommentView[]> {
    const relation = await this.access.relationTo(this.dataSource.manager, auth, traceId);
    this.access.assertReadsConversation(relation);
    const [rows] = await Promise.all([
      this.statements.query<CommentFields>(
        `SELECT ${commentColumns('c')} FROM trace_comment c LEFT JOIN app_user u ON u.id = c.author_id LEFT JOIN portfolio_transfer_person tp ON tp.user_id = c.author_id WHERE c.trace_id = $1 ORDER BY c.created_at, c.id`,
        [traceId],
      ),
      // Reading the conversation marks it read for the caller.
      this.statements.query(
        `INSERT INTO trace_read (user_id, trace_id, seen_at) VALUES ($1, $2, now()) ON CONFLICT (user_id, trace_id) DO UPDATE SET seen_at = now()`,
        [auth.userId, traceId],
      ),
    ]);
    return rows.map(view);
  }

  /**
   * One statement: the caller's relation to the trace, the comment (on the trace's latest
   * revision), the reviewer row a tutor's comment leaves (they keep reading the trace after the
   * tutorship ends) and the audit entry, all saved or none; the row it answers says why nothing
   * was saved (no trace for the caller: 404; no such parent: 422).
   */
  async create(auth: AuthContext, traceId: string, body: CreateCommentBody): Promise<CommentView> {
    if (body.anchor && body.anchor.to < body.anchor.from) {
      throw new DomainError(ErrorCode.InvalidInput, 'Passage commenté invalide.', [{ path: 'anchor.to', message: 'doit suivre « from »' }]);
    }
    const params = new SqlParams();
    const me = params.add(auth.userId);
    const parentId = params.add(body.parentId ?? null);
    const parent = body.parentId ? `AND EXISTS (SELECT 1 FROM trace_comment p WHERE p.id = ${parentId} AND p.trace_id = target.id)` : '';
    const values = [parentId, ...[body.body.trim(), body.anchor?.from ?? null, body.anchor?.to ?? null, body.anchor?.quote ?? null].map((value) => params.add(value))];
    const sql = `WITH target AS (SELECT t.id, ${this.access.relationSql(auth, me)} AS relation FROM trace t WHERE t.id = ${params.add(traceId)}),
      saved AS (
        INSERT INTO trace_comment (trace_id, author_id, parent_id, body, anchor_from, anchor_to, anchor_quote, revision)
        SELECT target.id, ${me}, ${values.join(', ')}, (SELECT max(r.number) FROM trace_revision r WHERE r.trace_id = target.id)
          FROM target WHERE target.relation IN (${COMMENTING.map((r) => `'${r}'`).join(', ')}) ${parent}
        RETURNING *),
      reviewer AS (INSERT INTO trace_reviewer (trace_id, tutor_id) SELECT saved.trace_id, ${me} FROM saved, target WHERE target.relation = 'tutor' ON CONFLICT DO NOTHING),
      audit AS (${this.audit.insertSql(auth, { action: 'comment.created', subjectType: 'trace' }, params, { from: 'saved', subjectId: 'saved.trace_id::text', details: `jsonb_build_object('commentId', saved.id)` })})
      SELECT target.relation, ${commentColumns('saved')}
        FROM target LEFT JOIN saved ON true LEFT JOIN app_user u ON u.id = saved.author_id LEFT JOIN portfolio_transfer_person tp ON false`;
    const [row] = await this.statements.query<CommentFields & { relation: TraceRelation | null }>(sql, params.values);
    if (!row?.relation) throw notFound('Trace');
    this.access.assertMayComment(row.relation);
    if (row.id === null) throw new DomainError(ErrorCode.InvalidInput, 'Le commentaire auquel vous répondez n’existe pas sur cette trace.', [{ path: 'parentId', message: 'introuvable' }]);
    return view(row);
  }

  async resolve(auth: AuthContext, commentId: string): Promise<CommentView> {
    return this.dataSource.transaction(async (manager) => {
      const comment = await manager.getRepository(TraceComment).findOne({ where: { id: commentId }, relations: { author: true } });
      if (!comment) throw notFound('Commentaire');
      const relation = await this.access.relationTo(manager, auth, comment.traceId);
      this.access.assertMayComment(relation);
      if (!comment.resolvedAt) {
        comment.resolvedAt = new Date();
        comment.resolvedBy = auth.userId;
        await manager.update(TraceComment, { id: commentId }, { resolvedAt: comment.resolvedAt, resolvedBy: auth.userId });
        await this.audit.record(auth, { action: 'comment.resolved', subjectType: 'trace', subjectId: comment.traceId, details: { commentId } }, manager);
      }
      return view(comment);
    });
  }
}
