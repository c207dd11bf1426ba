import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { CARNET_CONFIG } from '@carnet/config';
import { Trace, TraceComment, TraceRevision, Tutorship, User } from '@carnet/database';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(JOB_PRODUCER) private readonly jobs: JobProducer,
    private readonly access: TraceAccessService,
    private readonly audit: AuditService,
  ) {}

  /** The identifier scan alone, so the editor can warn before the intern submits. */
  async check(auth: AuthContext, id: string): Promise<{ warnings: IdentifierWarning[] }> {
    const relation = await this.access.relationTo(this.dataSource.manager, auth, id);
    this.access.assertOwner(relation);
    return { warnings: findPatientIdentifiers(await this.textOf(this.dataSource.manager, id)) };
  }

  async submit(auth: AuthContext, id: string): Promise<{ trace: TraceView; warnings: IdentifierWarning[] }> {
    const { view, warnings, mail } = await this.dataSource.transaction(async (manager) => {
      const { trace, relation } = await this.access.load(manager, auth, id, true);
      this.access.assertOwner(relation);
      const status = submit(trace, auth.userId);
      const number = (await manager.getRepository(TraceRevision).count({ where: { traceId: id } })) + 1;
      const revision = manager.create(TraceRevision, {
        traceId: id,
        number,
        kind: trace.kind,
        title: trace.title,
        content: trace.content,
        competences: trace.competences,
        familles: trace.familles,
        sha256: sha256Hex(canonicalJson(trace.content)),
        createdBy: auth.userId,
      });
      await manager.insert(TraceRevision, revision);
      const now = new Date();
      await this.move(manager, trace, status, { submittedAt: now, everSubmitted: true });
      await this.audit.record(auth, { action: 'trace.submitted', subjectType: 'trace', subjectId: id, details: { revision: number, sha256: revision.sha256 } }, manager);

      const tutorship = await manager.getRepository(Tutorship).findOne({ where: { internId: trace.internId, endedAt: IsNull() }, relations: { tutor: true, intern: true } });
      const mail = tutorship
        ? reviewTemplates.traceSubmitted(tutorship.tutor!.email, tutorship.tutor!.firstName, displayName(tutorship.intern!), trace.title, this.link(id))
        : undefined;
      const warnings = findPatientIdentifiers(await this.textOf(manager, id));
      return { view: traceView(trace, 'owner'), warnings, mail: mail && { mail, key: `submitted-${id}-${number}` } };
    });
    await this.notify(mail);
    return { trace: view, warnings };
  }

  async requestChanges(auth: AuthContext, id: string, comment: string): Promise<TraceView> {
    const { view, mail } = await this.dataSource.transaction(async (manager) => {
      const { trace, relation } = await this.access.load(manager, auth, id, true);
      this.access.assertReadsContent(relation);
      const status = requestChanges(trace, { userId: auth.userId, isActiveTutor: await this.access.isActiveTutor(manager, auth.userId, trace.internId) });
      const revision = await this.latestRevisionNumber(manager, id);
      await manager.insert(TraceComment, { traceId: id, authorId: auth.userId, body: comment.trim(), revision, parentId: null, anchorFrom: null, anchorTo: null, anchorQuote: null });
      await this.access.markReviewer(manager, id, auth.userId);
      await this.move(manager, trace, status, {});
      await this.audit.record(auth, { action: 'trace.changes_requested', subjectType: 'trace', subjectId: id, details: { revision } }, manager);
      return { view: traceView(trace, 'tutor'), mail: await this.internMail(manager, trace, auth, 'changesRequested', `changes-${id}-${revision}`) };
    });
    await this.notify(mail);
    return view;
  }

  async validate(auth: AuthContext, id: string, comment?: string): Promise<TraceView> {
    const { view, mail } = await this.dataSource.transaction(async (manager) => {
      const { trace, relation } = await this.access.load(manager, auth, id, true);
      this.access.assertReadsContent(relation);
      const status = validate(trace, { userId: auth.userId, isActiveTutor: await this.access.isActiveTutor(manager, auth.userId, trace.internId) });
      const revision = await manager.getRepository(TraceRevision).findOneOrFail({ where: { traceId: id }, order: { number: 'DESC' } });
      if (comment?.trim()) {
        await manager.insert(TraceComment, { traceId: id, authorId: auth.userId, body: comment.trim(), revision: revision.number, parentId: null, anchorFrom: null, anchorTo: null, anchorQuote: null });
      }
      await this.access.markReviewer(manager, id, auth.userId);
      // The stamp: who, when, and the hash of exactly the content that was read.
      await this.move(manager, trace, status, { validatedAt: new Date(), validatedBy: auth.userId, validatedSha256: revision.sha256 });
      await this.audit.record(auth, { action: 'trace.validated', subjectType: 'trace', subjectId: id, details: { revision: revision.number, sha256: revision.sha256 } }, manager);
      return { view: traceView(trace, 'tutor'), mail: await this.internMail(manager, trace, auth, 'traceValidated', `validated-${id}`) };
    });
    await this.notify(mail);
    return view;
  }

  async revisions(auth: AuthContext, id: string): Promise<RevisionSummary[]> {
    const relation = await this.access.relationTo(this.dataSource.manager, auth, id);
    this.access.assertReadsContent(relation);
    const rows = await this.dataSource.getRepository(TraceRevision).find({
      where: { traceId: id },
      order: { number: 'ASC' },
      select: { number: true, title: true, sha256: true, createdAt: true },
    });
    return rows.map((r) => ({ number: r.number, title: r.title, sha256: r.sha256, createdAt: r.createdAt.toISOString() }));
  }

  async revision(auth: AuthContext, id: string, number: number): Promise<RevisionView> {
    const relation = await this.access.relationTo(this.dataSource.manager, auth, id);
    this.access.assertReadsContent(relation);
    const r = await this.dataSource.getRepository(TraceRevision).findOneBy({ traceId: id, number });
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

  private async move(manager: EntityManager, trace: Trace, status: TraceStatus, extra: Partial<Trace>): Promise<void> {
    const changes: Partial<Trace> = { status, version: trace.version + 1, updatedAt: new Date(), ...extra };
    await manager.update(Trace, { id: trace.id }, changes);
    Object.assign(trace, changes);
  }

  private async latestRevisionNumber(manager: EntityManager, traceId: string): Promise<number | null> {
    const latest = await manager.getRepository(TraceRevision).findOne({ where: { traceId }, order: { number: 'DESC' }, select: { number: true } });
    return latest?.number ?? null;
  }

  private async textOf(manager: EntityManager, id: string): Promise<string> {
    const rows: { content_text: string }[] = await manager.query(`SELECT content_text FROM trace WHERE id = $1`, [id]);
    return rows[0]?.content_text ?? '';
  }

  private async internMail(
    manager: EntityManager,
    trace: Trace,
    auth: AuthContext,
    template: 'changesRequested' | 'traceValidated',
    key: string,
  ): Promise<{ mail: MailJob; key: string }> {
    const [intern, tutor] = await Promise.all([
      manager.getRepository(User).findOneByOrFail({ id: trace.internId }),
      manager.getRepository(User).findOneByOrFail({ id: auth.userId }),
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
