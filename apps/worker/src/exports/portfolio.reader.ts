import { Inject, Injectable } from '@nestjs/common';
import { CARNET_CONFIG, CarnetConfig, softwareVersion } from '@carnet/config';
import { AttachmentRepository, ExportRepository, PortfolioExport, PortfolioRepository, StageEvaluationRepository, UppRepository, User, UserRepository } from '@carnet/database';
import {
  currentPhase,
  displayName,
  exportedStatuses,
  judgeTeachingAttendance,
  mandatorySessionState,
  PHASES,
  phaseWindow,
  PortfolioRelation,
  Role,
  THESIS_STEP_STATE_LABELS,
  thesisStepState,
} from '@carnet/domain';
import type { TiptapJson } from '@carnet/editor';
import { PortfolioAccess } from '@carnet/portfolio';
import { PortfolioData, PortfolioDes, PortfolioGeptGroup, PortfolioTeachingPhase } from './portfolio';

/** Reads what an export contains, in the scope it was requested with. */
@Injectable()
export class PortfolioReader {
  private readonly access: PortfolioAccess;

  constructor(
    private readonly portfolios: PortfolioRepository,
    private readonly attachments: AttachmentRepository,
    private readonly exports: ExportRepository,
    private readonly users: UserRepository,
    private readonly upps: UppRepository,
    private readonly stages: StageEvaluationRepository,
    @Inject(CARNET_CONFIG) private readonly config: CarnetConfig,
  ) {
    this.access = new PortfolioAccess(portfolios);
  }

  /** Whether the requester may read the portfolio now (the API's rule), still active and in the same role. */
  async mayStillRead(request: PortfolioExport): Promise<boolean> {
    const found = await this.requester(request);
    return exportedStatuses(found?.relation ?? null, request.scope) !== null;
  }

  /** The requester, active, with their relation to the portfolio now; null when they have none. */
  private async requester(request: PortfolioExport): Promise<{ user: User; relation: PortfolioRelation } | null> {
    const user = await this.users.findActive(request.requestedBy);
    if (!user) return null;
    const found = await this.access.relation({ userId: user.id, roles: user.roles as Role[] }, request.internId);
    return found ? { user, relation: found.relation } : null;
  }

  async read(request: PortfolioExport): Promise<PortfolioData> {
    const intern = await this.users.getById(request.internId);
    const upp = intern.uppId ? await this.upps.findById(intern.uppId) : null;
    const tutorships = await this.portfolios.tutorshipsOf(intern.id);
    // `mayStillRead` let through "all" for the intern and their tutor only: anyone else is the tutor.
    const traces = (await this.portfolios.exportedTracesOf(intern.id, request.requestedBy === intern.id ? 'self' : 'tutor', request.scope)) ?? [];
    const attachments = await this.attachments.ofTraces(traces.map((t) => t.id));
    const assessments = await this.portfolios.assessmentsOf(intern.id);
    const validatorIds = [...new Set([...traces.map((t) => t.validatedBy), ...assessments.map((a) => a.tutorId)].filter((id): id is string => Boolean(id)))];
    const validators = new Map((await this.users.byIds(validatorIds)).map((u) => [u.id, displayName(u)]));

    const requester = await this.requester(request);
    if (!requester) throw new Error('the requester no longer reads this portfolio');
    const faculty = await this.exports.facultyOf(request.id);

    return {
      des: await this.des(intern, requester.user),
      dumgName: this.config.dumgName,
      origin: { deployment: this.config.http.publicUrl, faculty: { code: faculty?.code ?? '', name: faculty?.name ?? this.config.dumgName } },
      generatedAt: new Date().toISOString(),
      scope: request.scope,
      softwareVersion: softwareVersion(),
      intern: { id: intern.id, displayName: displayName(intern), email: intern.email, promotion: intern.promotion, upp: upp?.name ?? null },
      assessments: assessments.map((a) => ({
        phase: a.phase,
        tutor: validators.get(a.tutorId) ?? '',
        levels: a.levels as Record<string, string>,
        comment: a.comment,
        recommendation: a.recommendation,
        updatedAt: a.updatedAt.toISOString(),
      })),
      tutors: tutorships.map((t) => ({ displayName: displayName(t.tutor!), since: t.startedAt.toISOString(), until: t.endedAt?.toISOString() ?? null })),
      traces: traces.map((t) => ({
        id: t.id,
        kind: t.kind,
        title: t.title,
        status: t.status,
        competences: t.competences,
        familles: t.familles,
        createdAt: t.createdAt.toISOString(),
        submittedAt: t.submittedAt?.toISOString() ?? null,
        validatedAt: t.validatedAt?.toISOString() ?? null,
        // An imported trace's validator is the origin's, known by name only (ADR 0008).
        validatedBy: t.validatedBy ? (validators.get(t.validatedBy) ?? null) : (t.importedOrigin?.validator ?? null),
        validatedSha256: t.validatedSha256,
        importedFrom: t.importedOrigin
          ? { faculty: t.importedOrigin.faculty.name, deployment: t.importedOrigin.deployment, validator: t.importedOrigin.validator, validatedAt: t.importedOrigin.validatedAt, sha256: t.importedOrigin.sha256, signed: t.importedOrigin.signed, relayedBy: t.importedOrigin.relayedBy?.faculty.name ?? null }
          : null,
        content: t.content as TiptapJson,
        attachments: attachments
          .filter((a) => a.traceId === t.id)
          .map((a) => ({ id: a.id, filename: a.filename, size: a.size, sha256: a.sha256, mimeType: a.mimeType, storageKey: a.storageKey })),
      })),
    };
  }

  /**
   * The rest of the DES, each part as the API gives it to this requester (who reads the
   * portfolio: `mayStillRead` said so): teaching, meetings, thesis and the supervisors' stage
   * evaluations to whoever reads the portfolio; the GEPT groups only as GET /api/gept-groups/:id
   * shows them (the intern, the group's lead, an admin). The intern's own evaluations of their
   * stages (stage_feedback) are never read: they reach the DUMG only, anonymously.
   */
  private async des(intern: User, requester: User, now = new Date()): Promise<PortfolioDes> {
    return {
      teaching: await this.teaching(intern, now),
      gept: await this.gept(intern.id, requester),
      meetings: await this.meetings(intern.id),
      thesis: await this.thesis(intern.id, now),
      stages: await this.stageEvaluations(intern.id),
    };
  }

  /**
   * The mandatory sessions expecting the intern (their promotion and UPP, or everyone), of every
   * phase, judged per phase within its window as progress judges them (teaching-progress.ts).
   */
  private async teaching(intern: User, now: Date): Promise<PortfolioTeachingPhase[]> {
    const rows = await this.portfolios.mandatorySessionsOf(intern.id);
    const promotion = intern.promotion ?? now.getUTCFullYear();
    const current = currentPhase(promotion, now);
    return PHASES.flatMap((phase) => {
      const window = phaseWindow(promotion, phase);
      const sessions = rows.filter((r) => r.phase === phase && r.startsAt >= window.from && r.startsAt < window.to);
      if (!sessions.length && phase !== current) return [];
      const judged = judgeTeachingAttendance(sessions, now);
      return [
        {
          phase,
          held: judged.held,
          attended: judged.attended,
          excused: judged.excused,
          missed: judged.missed.length,
          upcoming: judged.upcoming,
          gaps: judged.gaps,
          sessions: sessions.map((s) => ({ title: s.title, kind: s.kind, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), state: mandatorySessionState(s, now) })),
        },
      ];
    });
  }

  /** The intern's GEPT groups with their own attendance: null unless the API shows this requester the group (gept.service's rule). */
  private async gept(internId: string, requester: User): Promise<PortfolioGeptGroup[] | null> {
    const groups = await this.portfolios.geptGroupsOf(internId);
    const shown = groups.filter((g) => requester.id === internId || requester.roles.includes('admin') || g.lead_id === requester.id);
    if (groups.length && !shown.length) return null;
    if (!groups.length && requester.id !== internId && !requester.roles.includes('admin')) return null;
    const meetings = await this.portfolios.geptMeetingsOf(shown.map((g) => g.id), internId);
    return shown.map((g) => ({
      title: g.title,
      year: g.year,
      lead: g.lead,
      meetings: meetings.filter((m) => m.group_id === g.id).map((m) => ({ heldOn: m.held_on, cases: m.cases, present: m.present })),
    }));
  }

  /** The meetings of all the intern's tutorships (those who read the portfolio read them all), oldest first. */
  private async meetings(internId: string): Promise<PortfolioDes['meetings']> {
    const rows = await this.portfolios.tutorMeetingsOf(internId);
    return rows.map((r) => ({
      heldOn: r.held_on,
      tutor: r.tutor,
      discussed: r.discussed,
      nextObjectives: r.next_objectives,
      internConfirmedAt: r.intern_confirmed_at?.toISOString() ?? null,
      tutorConfirmedAt: r.tutor_confirmed_at?.toISOString() ?? null,
    }));
  }

  /** The thesis: subject, director, the faculty's steps with their dates and state (not the director's comments nor the documents). */
  private async thesis(internId: string, now: Date): Promise<PortfolioDes['thesis']> {
    const thesis = await this.portfolios.thesisOf(internId);
    if (!thesis) return null;
    const steps = await this.portfolios.thesisSteps(thesis.id);
    return {
      subject: thesis.subject,
      director: thesis.director_account ?? thesis.director_name,
      steps: steps.map((s) => ({
        label: s.label,
        plannedOn: s.planned_on,
        doneOn: s.done_on,
        state: THESIS_STEP_STATE_LABELS[thesisStepState({ plannedOn: s.planned_on, doneOn: s.done_on }, now)],
        note: s.note,
      })),
    };
  }

  /** Each stage of the intern with its supervisors' evaluations (GET /api/portfolios/:internId/stage-evaluations, without the admin's links). */
  private async stageEvaluations(internId: string): Promise<PortfolioDes['stages']> {
    const stages = await this.stages.stagesOf(internId);
    const evaluations = await this.stages.evaluationsOf(stages.map((s) => s.id));
    return stages.map((s) => ({
      kind: s.kind,
      semester: s.semester,
      place: s.place,
      startsOn: s.startsOn,
      endsOn: s.endsOn,
      evaluations: evaluations
        .filter((e) => e.stageId === s.id)
        .map((e) => ({ evaluator: e.evaluatorName, viaLink: e.linkId !== null, levels: e.levels, comment: e.comment, validationProposed: e.validationProposed, submittedAt: e.submittedAt.toISOString() })),
    }));
  }
}
