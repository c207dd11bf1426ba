import { Inject, Injectable } from '@nestjs/common';
import { CARNET_CONFIG } from '@carnet/config';
import { CommentRepository, RevisionRepository, Trace, TraceRepository, Transactions, TutorshipRepository, Tx, UserRepository } from '@carnet/database';
import {
  displayName,
  findPatientIdentifiers,
  IdentifierWarning,
  notFound,
  requestChanges,
  submit,
  TraceStatus,
  validate,
} from '@carnet/domain';
import { canonicalJson, sha256Hex } from '@carnet/editor';
import { ResolvedConfig } from '@carnet/infrastructure';
import { reviewTemplates } from '@carnet/mail';
import { JOB_PRODUCER, JobProducer, MailJob } from '@carnet/queue';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { TraceAccessService } from './trace-access.service';
import { traceView, TraceView } from './traces.service';

export interface RevisionSummary {
  number: number;
  title: string;
  sha256: string;
  createdAt: string;
}

export interface RevisionView extends RevisionSummary {
  kind: string;
  content: Record<string, unknown>;
  competences: string[];
  familles: string[];
}

/**
 * The review workflow: submit (intern), request changes and validate (the active tutor). Each
 * transition locks the trace, asks libs/domain for the next state, writes the audit entry in
 * the same transaction, and queues its notification once committed.
 */
@Injectable()
export class TraceReviewService {
  constructor(
    private readonly traces: TraceRepository,
    private readonly users: UserRepository,
    private readonly history: RevisionRepository,
    private readonly comments: CommentRepository,
    private readonly tutorships: TutorshipRepository,
    private readonly transactions: Transactions,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(JOB_PRODUCER) private readonly jobs: JobProducer,
    private readonly access: TraceAccessService,
    private readonly audit: AuditService,
  ) {}

  /** The identifier scan alone, so the editor can warn before the intern submits. */
  async check(auth: AuthContext, id: string): Promise<{ warnings: IdentifierWarning[] }> {
    const relation = await this.access.relationTo(undefined, auth, id);
    this.access.assertOwner(relation);
    return { warnings: findPatientIdentifiers(await this.traces.contentTextOf(id)) };
  }

  async submit(auth: AuthContext, id: string): Promise<{ trace: TraceView; warnings: IdentifierWarning[] }> {
    const { view, warnings, mail } = await this.transactions.run(async (tx) => {
      const { trace, relation } = await this.access.load(tx, auth, id, true);
      this.access.assertOwner(relation);
      const status = submit(trace, auth.userId);
      const number = (await this.history.countOf(id, tx)) + 1;
      const revision = await this.history.insert(
        {
          traceId: id,
          number,
          kind: trace.kind,
          title: trace.title,
          content: trace.content,
          competences: trace.competences,
          familles: trace.familles,
          sha256: sha256Hex(canonicalJson(trace.content)),
          createdBy: auth.userId,
        },
        tx,
      );
      const now = new Date();
      await this.move(tx, trace, status, { submittedAt: now, everSubmitted: true });
      await this.audit.record(auth, { action: 'trace.submitted', subjectType: 'trace', subjectId: id, details: { revision: number, sha256: revision.sha256 } }, tx);

      const tutorship = await this.tutorships.activeOf(trace.internId, tx);
      const mail = tutorship
        ? reviewTemplates.traceSubmitted(tutorship.tutor!.email, tutorship.tutor!.firstName, displayName(tutorship.intern!), trace.title, this.link(id))
        : undefined;
      const warnings = findPatientIdentifiers(await this.traces.contentTextOf(id, tx));
      return { view: traceView(trace, 'owner'), warnings, mail: mail && { mail, key: `submitted-${id}-${number}` } };
    });
    await this.notify(mail);
    return { trace: view, warnings };
  }

  async requestChanges(auth: AuthContext, id: string, comment: string): Promise<TraceView> {
    const { view, mail } = await this.transactions.run(async (tx) => {
      const { trace, relation } = await this.access.load(tx, auth, id, true);
      this.access.assertReadsContent(relation);
      const status = requestChanges(trace, { userId: auth.userId, isActiveTutor: await this.access.isActiveTutor(tx, auth.userId, trace.internId) });
      const revision = await this.history.latestNumberOf(id, tx);
      await this.comments.insertReview({ traceId: id, authorId: auth.userId, body: comment.trim(), revision }, tx);
      await this.access.markReviewer(tx, id, auth.userId);
      await this.move(tx, trace, status, {});
      await this.audit.record(auth, { action: 'trace.changes_requested', subjectType: 'trace', subjectId: id, details: { revision } }, tx);
      return { view: traceView(trace, 'tutor'), mail: await this.internMail(tx, trace, auth, 'changesRequested', `changes-${id}-${revision}`) };
    });
    await this.notify(mail);
    return view;
  }

  async validate(auth: AuthContext, id: string, comment?: string): Promise<TraceView> {
    const { view, mail } = await this.transactions.run(async (tx) => {
      const { trace, relation } = await this.access.load(tx, auth, id, true);
      this.access.assertReadsContent(relation);
      const status = validate(trace, { userId: auth.userId, isActiveTutor: await this.access.isActiveTutor(tx, auth.userId, trace.internId) });
      const revision = await this.history.latestOrFail(id, tx);
      if (comment?.trim()) {
        await this.comments.insertReview({ traceId: id, authorId: auth.userId, body: comment.trim(), revision: revision.number }, tx);
      }
      await this.access.markReviewer(tx, id, auth.userId);
      // The stamp: who, when, and the hash of exactly the content that was read.
      await this.move(tx, trace, status, { validatedAt: new Date(), validatedBy: auth.userId, validatedSha256: revision.sha256 });
      await this.audit.record(auth, { action: 'trace.validated', subjectType: 'trace', subjectId: id, details: { revision: revision.number, sha256: revision.sha256 } }, tx);
      return { view: traceView(trace, 'tutor'), mail: await this.internMail(tx, trace, auth, 'traceValidated', `validated-${id}`) };
    });
    await this.notify(mail);
    return view;
  }

  async revisions(auth: AuthContext, id: string): Promise<RevisionSummary[]> {
    const relation = await this.access.relationTo(undefined, auth, id);
    this.access.assertReadsContent(relation);
    const rows = await this.history.summariesOf(id);
    return rows.map((r) => ({ number: r.number, title: r.title, sha256: r.sha256, createdAt: r.createdAt.toISOString() }));
  }

  async revision(auth: AuthContext, id: string, number: number): Promise<RevisionView> {
    const relation = await this.access.relationTo(undefined, auth, id);
    this.access.assertReadsContent(relation);
    const r = await this.history.byNumber(id, number);
    if (!r) throw notFound('Révision');
    // A revision is the trace's full content: read by anyone but its author, it is audited like the trace.
    if (relation !== 'owner') await this.audit.record(auth, { action: 'trace.revision_read', subjectType: 'trace', subjectId: id, details: { revision: number, as: relation } });
    return {
      number: r.number,
      title: r.title,
      sha256: r.sha256,
      createdAt: r.createdAt.toISOString(),
      kind: r.kind,
      content: r.content as Record<string, unknown>,
      competences: r.competences,
      familles: r.familles,
    };
  }

  private async move(tx: Tx, trace: Trace, status: TraceStatus, extra: Partial<Trace>): Promise<void> {
    const changes: Partial<Trace> = { status, version: trace.version + 1, updatedAt: new Date(), ...extra };
    await this.traces.update(trace.id, changes, tx);
    Object.assign(trace, changes);
  }

  private async internMail(
    tx: Tx,
    trace: Trace,
    auth: AuthContext,
    template: 'changesRequested' | 'traceValidated',
    key: string,
  ): Promise<{ mail: MailJob; key: string }> {
    const [intern, tutor] = await Promise.all([
      this.users.getById(trace.internId, tx),
      this.users.getById(auth.userId, tx),
    ]);
    return { mail: reviewTemplates[template](intern.email, intern.firstName, displayName(tutor), trace.title, this.link(trace.id)), key };
  }

  private link(id: string): string {
    return `${this.config.http.publicUrl}/traces/${id}`;
  }

  /** After commit; a mail that cannot be queued must not undo the transition the user made. */
  private async notify(notification: { mail: MailJob; key: string } | undefined): Promise<void> {
    if (!notification) return;
    await this.jobs.enqueue('mail.send', notification.mail, { jobId: `mail-${notification.key}` }).catch(() => undefined);
  }
}
