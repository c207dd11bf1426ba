import { Inject, Injectable } from '@nestjs/common';
import { CARNET_CONFIG } from '@carnet/config';
import type {
  EvaluatedStageSummary,
  PortfolioStageEvaluationsView,
  StageEvaluationLinkIssued,
  StageEvaluationLinkPageView,
  StageEvaluationLinkView,
  StageEvaluationView,
  StageFeedbackSummaryView,
  SupervisorEvaluationTask,
} from '@carnet/contracts';
import { EvaluatedStageRow, EvaluationLinkRow, NewStageEvaluation, StageEvaluationRepository, StageEvaluationRow, StageRepository, Tenancy, Transactions, Tx } from '@carnet/database';
import {
  assertEvaluation,
  assertEvaluationLinkLive,
  assertEvaluationOpen,
  assertFeedback,
  DomainError,
  ErrorCode,
  EVALUATION_FORM,
  EVALUATION_LINK_DAYS,
  evaluationLinkState,
  evaluationOpen,
  evaluationOpensOn,
  evaluatorErrors,
  FEEDBACK_MIN_ANSWERS,
  FEEDBACK_RATING_CODES,
  FEEDBACK_RATINGS,
  notFound,
  parisDay,
  STAGE_LABELS,
  StageKind,
  summariseFeedback,
} from '@carnet/domain';
import { ResolvedConfig } from '@carnet/infrastructure';
import { stageEvaluationTemplates } from '@carnet/mail';
import { JOB_PRODUCER, JobProducer } from '@carnet/queue';
import { AuditService } from '../audit/audit.service';
import { AuthContext, hasRole, RequestOrigin } from '../auth/auth-context';
import { hashToken, newToken } from '../auth/tokens';
import { isUniqueViolation } from '@carnet/database';
import { PortfolioAccessService } from '../portfolios/portfolio-access.service';
import type { EvaluationBody, EvaluatorBody, FeedbackBody } from './stage-evaluations.dto';

const linkNotFound = () => notFound('Lien d’évaluation');
const alreadyEvaluated = (who: string) => new DomainError(ErrorCode.Conflict, `${who} a déjà transmis son évaluation de ce stage : elle ne se modifie plus.`);

/**
 * End-of-stage evaluations. The supervisors evaluate the intern (signed in, or through a one-time
 * link for those without an account); the intern, their tutor, a sitting jury and the DUMG read
 * the evaluations with the portfolio. The intern evaluates the stage; the DUMG reads only
 * aggregates per place, and nobody reads an answer.
 */
@Injectable()
export class StageEvaluationsService {
  constructor(
    private readonly transactions: Transactions,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(JOB_PRODUCER) private readonly jobs: JobProducer,
    private readonly repository: StageEvaluationRepository,
    private readonly stages: StageRepository,
    private readonly access: PortfolioAccessService,
    private readonly audit: AuditService,
  ) {}

  /** Mails a new one-time link to an evaluator of the stage; their live one, if any, stops working. */
  async issueLink(auth: AuthContext, stageId: string, body: EvaluatorBody, now = new Date()): Promise<StageEvaluationLinkIssued> {
    const stage = await this.repository.stage(stageId);
    if (!stage) throw notFound('Stage');
    const errors = evaluatorErrors(body);
    if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'L’évaluateur est invalide.', errors);
    assertEvaluationOpen(stage.endsOn, parisDay(now));
    const name = body.name.trim();
    const email = body.email.trim().toLowerCase();
    if (await this.repository.evaluatedBy(stage.id, { email })) throw alreadyEvaluated(name);
    const token = newToken();
    const expiresAt = new Date(now.getTime() + EVALUATION_LINK_DAYS * 86_400_000);
    const url = `${this.config.http.publicUrl}/evaluation-stage#jeton=${encodeURIComponent(token)}`;
    const link = await this.transactions.run(async (tx) => {
      const revoked = await this.repository.revokeLive(stage.id, email, now, tx);
      const saved = await this.repository.insertLink({ stageId: stage.id, evaluatorName: name, evaluatorEmail: email, tokenHash: hashToken(token), createdBy: auth.userId, createdAt: now, expiresAt }, tx);
      await this.audit.record(auth, { action: 'stage_evaluation.link_issued', subjectType: 'stage', subjectId: stage.id, details: { linkId: saved.id, email, revoked } }, tx);
      return saved;
    });
    const intern = await this.repository.userName(stage.internId);
    const mail = stageEvaluationTemplates.evaluationLink(email, name, intern?.name ?? '', STAGE_LABELS[stage.kind as StageKind], stage.place, stage.endsOn, url, EVALUATION_LINK_DAYS);
    await this.jobs.enqueue('mail.send', mail, { jobId: `mail-stage-evaluation-link-${link.id}` });
    const mailed = Boolean(this.config.mail.smtpUrl);
    // Without outgoing mail nobody would receive it: the admin is handed the link to pass on.
    return { ...this.linkView(link, now), mailed, ...(mailed ? {} : { url }) };
  }

  /** The form as the link's holder sees it: this stage and this intern only. Reading does not use the link up. */
  async linkPage(token: string, origin: RequestOrigin, now = new Date()): Promise<StageEvaluationLinkPageView> {
    const link = await this.liveLink(token, now);
    return Tenancy.run({ facultyId: link.facultyId }, async () => {
      await this.audit.record({ ...origin, userId: null }, { action: 'stage_evaluation.link_opened', subjectType: 'stage', subjectId: link.stageId, details: { linkId: link.id, email: link.evaluatorEmail } });
      return this.pageView(link, null);
    });
  }

  /** The evaluation through the link, which it uses up. */
  async submitByLink(token: string, body: EvaluationBody, origin: RequestOrigin, now = new Date()): Promise<StageEvaluationLinkPageView> {
    const found = await this.liveLink(token, now);
    // The rest runs in the link's faculty, as a signed-in request runs in its user's.
    return Tenancy.run({ facultyId: found.facultyId }, async () => {
      const stage = (await this.repository.stage(found.stageId))!;
      assertEvaluationOpen(stage.endsOn, parisDay(now));
      const input = { levels: body.levels, comment: body.comment ?? '', validationProposed: body.validationProposed };
      assertEvaluation(input);
      const evaluation = await this.transactions.run(async (tx) => {
        const link = await this.repository.linkByHash(hashToken(token), { forUpdate: true }, tx);
        if (!link) throw linkNotFound();
        // Checked again under the lock: two submissions at once, one evaluation.
        assertEvaluationLinkLive(link, now);
        if (await this.repository.evaluatedBy(stage.id, { email: link.evaluatorEmail }, tx)) throw alreadyEvaluated(link.evaluatorName);
        const saved = await this.insert({ ...input, stageId: stage.id, authorId: null, linkId: link.id, evaluatorName: link.evaluatorName, evaluatorEmail: link.evaluatorEmail, submittedAt: now }, link.evaluatorName, tx);
        await this.repository.markUsed(link.id, now, tx);
        await this.audit.record({ ...origin, userId: null }, { action: 'stage_evaluation.submitted', subjectType: 'stage', subjectId: stage.id, details: { evaluationId: saved.id, via: 'link', linkId: link.id, email: link.evaluatorEmail } }, tx);
        return saved;
      });
      return this.pageView(found, evaluation);
    });
  }

  /** The evaluation by a supervisor of the stage, signed in. */
  async submitSigned(auth: AuthContext, stageId: string, body: EvaluationBody, now = new Date()): Promise<StageEvaluationView> {
    const stage = await this.repository.stage(stageId);
    if (!stage) throw notFound('Stage');
    if (!(await this.stages.supervises(stage.id, auth.userId))) {
      if (stage.internId === auth.userId || hasRole(auth, 'admin')) throw new DomainError(ErrorCode.Forbidden, 'Seuls les encadrants du stage évaluent l’interne.');
      throw notFound('Stage');
    }
    assertEvaluationOpen(stage.endsOn, parisDay(now));
    const input = { levels: body.levels, comment: body.comment ?? '', validationProposed: body.validationProposed };
    assertEvaluation(input);
    const me = (await this.repository.userName(auth.userId))!;
    const saved = await this.transactions.run(async (tx) => {
      if (await this.repository.evaluatedBy(stage.id, { userId: auth.userId, email: me.email }, tx)) throw alreadyEvaluated('Vous');
      const row = await this.insert({ ...input, stageId: stage.id, authorId: auth.userId, linkId: null, evaluatorName: me.name, evaluatorEmail: null, submittedAt: now }, 'Vous', tx);
      await this.audit.record(auth, { action: 'stage_evaluation.submitted', subjectType: 'stage', subjectId: stage.id, details: { evaluationId: row.id, via: 'account' } }, tx);
      return row;
    });
    return this.evaluationView(saved);
  }

  /** The stages the requester supervised, with their own evaluation of each. */
  async toFill(auth: AuthContext, now = new Date()): Promise<{ items: SupervisorEvaluationTask[] }> {
    const stages = await this.repository.supervisedBy(auth.userId);
    const evaluations = (await this.repository.evaluationsOf(stages.map((s) => s.id))).filter((e) => e.authorId === auth.userId);
    const today = parisDay(now);
    return {
      items: stages.map((s) => {
        const mine = evaluations.find((e) => e.stageId === s.id);
        return { stage: this.stageSummary(s), intern: { id: s.internId, displayName: s.internName }, open: evaluationOpen(s.endsOn, today), evaluation: mine ? this.evaluationView(mine) : null };
      }),
    };
  }

  /** The intern's stages with their evaluations, for whoever reads the portfolio; audited for all but the intern. */
  async portfolio(auth: AuthContext, internId: string, now = new Date()): Promise<PortfolioStageEvaluationsView> {
    const { relation } = await this.access.relation(auth, internId);
    if (relation !== 'self') await this.audit.record(auth, { action: 'portfolio.read', subjectType: 'portfolio', subjectId: internId, details: { what: 'stage_evaluations', as: relation } });
    const stages = await this.repository.stagesOf(internId);
    const ids = stages.map((s) => s.id);
    const [evaluations, links, given] = await Promise.all([
      this.repository.evaluationsOf(ids),
      relation === 'admin' ? this.repository.linksOf(ids) : Promise.resolve([] as EvaluationLinkRow[]),
      relation === 'self' ? this.repository.feedbackGiven(ids) : Promise.resolve(new Set<string>()),
    ]);
    return {
      internId,
      stages: stages.map((s) => ({
        stage: this.stageSummary(s),
        evaluations: evaluations.filter((e) => e.stageId === s.id).map((e) => this.evaluationView(e)),
        ...(relation === 'admin' ? { links: links.filter((l) => l.stageId === s.id).map((l) => this.linkView(l, now)) } : {}),
        ...(relation === 'self' ? { feedbackGiven: given.has(s.id) } : {}),
      })),
    };
  }

  /** The intern's evaluation of their stage: once, from the form's opening. */
  async submitFeedback(auth: AuthContext, stageId: string, body: FeedbackBody, now = new Date()): Promise<{ stageId: string; submittedAt: string }> {
    const stage = await this.repository.stage(stageId);
    // Not the requester's stage: nothing to say about it, not even that it exists.
    if (!stage || stage.internId !== auth.userId) throw notFound('Stage');
    assertEvaluationOpen(stage.endsOn, parisDay(now));
    const input = { ratings: body.ratings, housingProvided: body.housingProvided, vehicleRequired: body.vehicleRequired, comment: body.comment ?? '' };
    assertFeedback(input);
    await this.transactions.run(async (tx) => {
      if (!(await this.repository.insertFeedback(stage.id, input, now, tx))) throw new DomainError(ErrorCode.Conflict, 'Vous avez déjà évalué ce stage : une réponse par stage, qui ne se modifie plus.');
      // Who answered, never what: the entry holds no rating.
      await this.audit.record(auth, { action: 'stage_feedback.submitted', subjectType: 'stage', subjectId: stage.id }, tx);
    });
    return { stageId: stage.id, submittedAt: now.toISOString() };
  }

  /** The DUMG's view of the interns' answers: per place, aggregates from FEEDBACK_MIN_ANSWERS answers. */
  async feedbackSummary(auth: AuthContext): Promise<StageFeedbackSummaryView> {
    const places = summariseFeedback(await this.repository.feedbackAnswers());
    await this.audit.record(auth, { action: 'stage_feedback.summary_read', subjectType: 'faculty', details: { places: places.length, shown: places.filter((p) => p.enough).length } });
    return { minAnswers: FEEDBACK_MIN_ANSWERS, places, rubrics: FEEDBACK_RATING_CODES.map((code) => ({ code, label: FEEDBACK_RATINGS[code] })) };
  }

  /** The link a token names, live, in an open faculty: 404 unknown, 400 used, revoked or expired. */
  private async liveLink(token: string, now: Date): Promise<EvaluationLinkRow> {
    const link = await Tenancy.asSystem(() => this.repository.linkByHash(hashToken(token)));
    if (!link || !link.facultyActive) throw linkNotFound();
    assertEvaluationLinkLive(link, now);
    return link;
  }

  private async insert(row: NewStageEvaluation, who: string, tx: Tx): Promise<StageEvaluationRow> {
    try {
      return await this.repository.insertEvaluation(row, tx);
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyEvaluated(who);
      throw error;
    }
  }

  private async pageView(link: EvaluationLinkRow, evaluation: StageEvaluationRow | null): Promise<StageEvaluationLinkPageView> {
    const stage = (await this.repository.stage(link.stageId))!;
    const intern = await this.repository.userName(stage.internId);
    const { id: _id, kind: _kind, semester: _semester, ...summary } = this.stageSummary(stage);
    return {
      evaluatorName: link.evaluatorName,
      internName: intern?.name ?? '',
      stage: summary,
      expiresAt: link.expiresAt.toISOString(),
      form: EVALUATION_FORM,
      evaluation: evaluation ? this.evaluationView(evaluation) : null,
    };
  }

  private stageSummary(stage: EvaluatedStageRow): EvaluatedStageSummary {
    return {
      id: stage.id,
      kind: stage.kind,
      label: STAGE_LABELS[stage.kind as StageKind],
      semester: stage.semester,
      place: stage.place,
      startsOn: stage.startsOn,
      endsOn: stage.endsOn,
      evaluationOpensOn: evaluationOpensOn(stage.endsOn),
    };
  }

  private evaluationView(row: StageEvaluationRow): StageEvaluationView {
    return {
      id: row.id,
      stageId: row.stageId,
      evaluator: { name: row.evaluatorName, viaLink: row.linkId !== null, userId: row.authorId },
      levels: row.levels,
      comment: row.comment,
      validationProposed: row.validationProposed,
      submittedAt: new Date(row.submittedAt).toISOString(),
    };
  }

  private linkView(link: EvaluationLinkRow, now: Date): StageEvaluationLinkView {
    return {
      id: link.id,
      evaluatorName: link.evaluatorName,
      evaluatorEmail: link.evaluatorEmail,
      createdAt: new Date(link.createdAt).toISOString(),
      expiresAt: new Date(link.expiresAt).toISOString(),
      state: evaluationLinkState({ expiresAt: new Date(link.expiresAt), usedAt: link.usedAt, revokedAt: link.revokedAt }, now),
    };
  }
}
