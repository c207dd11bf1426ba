import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Statements, TraceComment, TraceRevision, User } from '@carnet/database';
import { displayName, DomainError, ErrorCode, notFound } from '@carnet/domain';
import type { CommentView } from '@carnet/contracts';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { CreateCommentBody } from './dto/traces.dto';
import { TraceAccessService } from './trace-access.service';

export type { CommentView };

/** A comment as the entity holds it, or as the list query selects it (named alike). */
type CommentFields = Omit<TraceComment, 'trace' | 'author'> & { author?: Pick<User, 'firstName' | 'lastName'> };

const view = (c: CommentFields): CommentView => ({
  id: c.id,
  traceId: c.traceId,
  parentId: c.parentId,
  author: { id: c.authorId, displayName: c.author ? displayName(c.author) : '' },
  body: c.body,
  anchor: c.anchorQuote !== null ? { from: c.anchorFrom!, to: c.anchorTo!, quote: c.anchorQuote } : null,
  revision: c.revision,
  createdAt: c.createdAt.toISOString(),
  resolvedAt: c.resolvedAt?.toISOString() ?? null,
  resolvedBy: c.resolvedBy,
});

/**
 * Threaded comments between an intern and their tutors. An anchored comment stores the quoted
 * passage with its positions, so it still shows what it was about after the text moves.
 */
@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: TraceAccessService,
    private readonly audit: AuditService,
    private readonly statements: Statements,
  ) {}

  async list(auth: AuthContext, traceId: string): Promise<CommentView[]> {
    const relation = await this.access.relationTo(this.dataSource.manager, auth, traceId);
    this.access.assertInConversation(relation);
    const [rows] = await Promise.all([
      this.statements.query<CommentFields>(
        `SELECT c.id, c.trace_id AS "traceId", c.parent_id AS "parentId", c.author_id AS "authorId",
                json_build_object('firstName', u.first_name, 'lastName', u.last_name) AS author, c.body,
                c.anchor_from AS "anchorFrom", c.anchor_to AS "anchorTo", c.anchor_quote AS "anchorQuote", c.revision,
                c.created_at AS "createdAt", c.resolved_at AS "resolvedAt", c.resolved_by AS "resolvedBy"
           FROM trace_comment c JOIN app_user u ON u.id = c.author_id
          WHERE c.trace_id = $1 ORDER BY c.created_at, c.id`,
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

  async create(auth: AuthContext, traceId: string, body: CreateCommentBody): Promise<CommentView> {
    return this.dataSource.transaction(async (manager) => {
      const relation = await this.access.relationTo(manager, auth, traceId);
      this.access.assertInConversation(relation);
      if (body.anchor && body.anchor.to < body.anchor.from) {
        throw new DomainError(ErrorCode.InvalidInput, 'Passage commenté invalide.', [{ path: 'anchor.to', message: 'doit suivre « from »' }]);
      }
      if (body.parentId) {
        const parent = await manager.getRepository(TraceComment).findOneBy({ id: body.parentId, traceId });
        if (!parent) throw new DomainError(ErrorCode.InvalidInput, 'Le commentaire auquel vous répondez n’existe pas sur cette trace.', [{ path: 'parentId', message: 'introuvable' }]);
      }
      const latest = await manager.getRepository(TraceRevision).findOne({ where: { traceId }, order: { number: 'DESC' }, select: { number: true } });
      const comment = manager.create(TraceComment, {
        traceId,
        authorId: auth.userId,
        parentId: body.parentId ?? null,
        body: body.body.trim(),
        anchorFrom: body.anchor?.from ?? null,
        anchorTo: body.anchor?.to ?? null,
        anchorQuote: body.anchor?.quote ?? null,
        revision: latest?.number ?? null,
        resolvedAt: null,
        resolvedBy: null,
      });
      await manager.save(comment);
      if (relation === 'tutor') {
        await this.access.markReviewer(manager, traceId, auth.userId);
      }
      await this.audit.record(auth, { action: 'comment.created', subjectType: 'trace', subjectId: traceId, details: { commentId: comment.id } }, manager);
      const saved = await manager.getRepository(TraceComment).findOneOrFail({ where: { id: comment.id }, relations: { author: true } });
      return view(saved);
    });
  }

  async resolve(auth: AuthContext, commentId: string): Promise<CommentView> {
    return this.dataSource.transaction(async (manager) => {
      const comment = await manager.getRepository(TraceComment).findOne({ where: { id: commentId }, relations: { author: true } });
      if (!comment) throw notFound('Commentaire');
      const relation = await this.access.relationTo(manager, auth, comment.traceId);
      this.access.assertInConversation(relation);
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
