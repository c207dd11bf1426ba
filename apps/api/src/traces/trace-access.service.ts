import { Injectable } from '@nestjs/common';
import { Trace, TraceAccessRepository, TutorshipRepository, Tx, VisibleSets } from '@carnet/database';
import { commentsOnTrace, DomainError, ErrorCode, notFound, readsTraceContent, readsTraceConversation, TraceRelation } from '@carnet/domain';
import { AuthContext } from '../auth/auth-context';

/** How the caller relates to a trace, which decides what they see (the domain's access rule); none is a 404. */
export type { TraceRelation, VisibleSets };

/**
 * The access rule as the services ask it (its statements are `TraceAccessRepository`'s): the
 * caller's relation to a trace, or 404, and what each relation may do. `tx` is the transaction
 * the caller is in, if any (undefined: the pool).
 */
@Injectable()
export class TraceAccessService {
  constructor(
    private readonly traces: TraceAccessRepository,
    private readonly tutorships: TutorshipRepository,
  ) {}

  /** The caller's relation to a trace without loading it (its content may weigh megabytes), or 404: for every check that needs only the relation. */
  async relationTo(tx: Tx | undefined, auth: AuthContext, id: string): Promise<TraceRelation> {
    const relation = await this.traces.relationTo(auth, id, tx);
    if (!relation) throw notFound('Trace');
    return relation;
  }

  /** The trace and the caller's relation to it, or 404. `lock` takes a row lock for a change. */
  async load(tx: Tx | undefined, auth: AuthContext, id: string, lock = false): Promise<{ trace: Trace; relation: TraceRelation }> {
    const found = await this.traces.load(auth, id, lock, tx);
    if (!found) throw notFound('Trace');
    return found;
  }

  /** Is `tutorId` the intern's active tutor right now? */
  isActiveTutor(tx: Tx | undefined, tutorId: string, internId: string): Promise<boolean> {
    return this.tutorships.isActiveTutor(tutorId, internId, tx);
  }

  /** Remembers that a tutor reviewed a trace: they keep reading it after their tutorship ends. */
  markReviewer(tx: Tx | undefined, traceId: string, tutorId: string): Promise<void> {
    return this.traces.markReviewer(traceId, tutorId, tx);
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
