import { Injectable } from '@nestjs/common';
import { CommentFields, CommentRepository, Transactions } from '@carnet/database';
import { displayName, DomainError, ErrorCode, notFound } from '@carnet/domain';
import type { CommentView } from '@carnet/contracts';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { CreateCommentBody } from './dto/traces.dto';
import { TraceAccessService } from './trace-access.service';

export type { CommentView };

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
 * Threaded comments between an intern and their tutor, and on a GEPT write-up the group's lead
 * (the domain's `commentsOnTrace`). An anchored comment stores the quoted
 * passage with its positions, so it still shows what it was about after the text moves.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly comments: CommentRepository,
    private readonly transactions: Transactions,
    private readonly access: TraceAccessService,
    private readonly audit: AuditService,
  ) {}

  async list(auth: AuthContext, traceId: string): Promise<CommentView[]> {
    const relation = await this.access.relationTo(undefined, auth, traceId);
    this.access.assertReadsConversation(relation);
    const [rows] = await Promise.all([
      this.comments.listOf(traceId),
      // Reading the conversation marks it read for the caller.
      this.comments.markRead(auth.userId, traceId),
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
    const row = await this.comments.createIfAllowed(
      auth,
      { userId: auth.userId, ip: auth.ip, requestId: auth.requestId },
      traceId,
      { body: body.body.trim(), parentId: body.parentId ?? null, anchor: body.anchor ? { from: body.anchor.from, to: body.anchor.to, quote: body.anchor.quote } : null },
    );
    if (!row?.relation) throw notFound('Trace');
    this.access.assertMayComment(row.relation);
    if (row.id === null) throw new DomainError(ErrorCode.InvalidInput, 'Le commentaire auquel vous répondez n’existe pas sur cette trace.', [{ path: 'parentId', message: 'introuvable' }]);
    return view(row);
  }

  async resolve(auth: AuthContext, commentId: string): Promise<CommentView> {
    return this.transactions.run(async (tx) => {
      const comment = await this.comments.findWithAuthor(commentId, tx);
      if (!comment) throw notFound('Commentaire');
      const relation = await this.access.relationTo(tx, auth, comment.traceId);
      this.access.assertMayComment(relation);
      if (!comment.resolvedAt) {
        comment.resolvedAt = new Date();
        comment.resolvedBy = auth.userId;
        await this.comments.markResolved(commentId, comment.resolvedAt, auth.userId, tx);
        await this.audit.record(auth, { action: 'comment.resolved', subjectType: 'trace', subjectId: comment.traceId, details: { commentId } }, tx);
      }
      return view(comment);
    });
  }
}
