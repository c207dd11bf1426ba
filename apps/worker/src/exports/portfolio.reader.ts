import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { CARNET_CONFIG, CarnetConfig, softwareVersion } from '@carnet/config';
import { Assessment, Attachment, exportedTraceFilter, PortfolioExport, PreparedStatements, Trace, Tutorship, Upp, User } from '@carnet/database';
import {
  currentPhase,
  displayName,
  judgeTeachingAttendance,
  MandatorySession,
  mandatorySessionState,
  PHASES,
  phaseWindow,
  PortfolioRelation,
  Role,
  TeachingKind,
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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CARNET_CONFIG) private readonly config: CarnetConfig,
    statements: PreparedStatements,
  ) {
    this.access = new PortfolioAccess(statements);
  }

  /** Whether the requester may read the portfolio now (the API's rule), still active and in the same role. */
  async mayStillRead(request: PortfolioExport): Promise<boolean> {
    const found = await this.requester(request);
    return exportedTraceFilter(found?.relation ?? null, request.scope) !== null;
  }

  /** The requester, active, with their relation to the portfolio now; null when they have none. */
  private async requester(request: PortfolioExport): Promise<{ user: User; relation: PortfolioRelation } | null> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id: request.requestedBy, active: true });
    if (!user) return null;
    const found = await this.access.relation({ userId: user.id, roles: user.roles as Role[] }, request.internId);
    return found ? { user, relation: found.relation } : null;
  }

  async read(request: PortfolioExport): Promise<PortfolioData> {
    const users = this.dataSource.getRepository(User);
    const intern = await users.findOneByOrFail({ id: request.internId });
    const upp = intern.uppId ? await this.dataSource.getRepository(Upp).findOneBy({ id: intern.uppId }) : null;
    const tutorships = await this.dataSource.getRepository(Tutorship).find({
      where: { internId: intern.id },
      relations: { tutor: true },
      order: { startedAt: 'ASC' },
    });
    // `mayStillRead` let through "all" for the intern and their tutor only: anyone else is the tutor.
    const statuses = exportedTraceFilter(request.requestedBy === intern.id ? 'self' : 'tutor', request.scope) ?? {};
    const traces = await this.dataSource.getRepository(Trace).find({
      where: { internId: intern.id, ...statuses },
      order: { validatedAt: { direction: 'ASC', nulls: 'LAST' }, createdAt: 'ASC' },
    });
    const attachments = traces.length
      ? await this.dataSource.getRepository(Attachment).find({ where: { traceId: In(traces.map((t) => t.id)) }, order: { createdAt: 'ASC' } })
      : [];
    const assessments = await this.dataSource.getRepository(Assessment).find({ where: { internId: intern.id }, order: { createdAt: 'ASC' } });
    const validatorIds = [...new Set([...traces.map((t) => t.validatedBy), ...assessments.map((a) => a.tutorId)].filter((id): id is string => Boolean(id)))];
    const validators = new Map((validatorIds.length ? await users.findBy({ id: In(validatorIds) }) : []).map((u) => [u.id, displayName(u)]));

    const requester = await this.requester(request);
    if (!requester) throw new Error('the requester no longer reads this portfolio');
    const [faculty] = (await this.dataSource.query(`SELECT f.code, f.name FROM faculty f JOIN portfolio_export e ON e.faculty_id = f.id WHERE e.id = $1`, [request.id])) as { code: string; name: string }[];

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
    const rows: (Omit<MandatorySession, 'kind'> & { kind: TeachingKind; phase: string })[] = await this.dataSource.query(
      `SELECT s.id, s.title, s.kind, s.phase, s.starts_at AS "startsAt", s.ends_at AS "endsAt", a.status AS attendance
         FROM teaching_session s JOIN app_user u ON u.id = $1
         LEFT JOIN teaching_attendance a ON a.session_id = s.id AND a.intern_id = $1
        WHERE s.mandatory AND s.faculty_id = u.faculty_id
          AND (cardinality(s.promotions) = 0 OR u.promotion = ANY (s.promotions))
          AND (cardinality(s.upp_ids) = 0 OR u.upp_id = ANY (s.upp_ids))
        ORDER BY s.starts_at, s.id`,
      [intern.id],
    );
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
    const groups: { id: string; title: string; year: number; lead_id: string; lead: string }[] = await this.dataSource.query(
      `SELECT g.id, g.title, g.year, g.lead_id, l.first_name || ' ' || l.last_name AS lead
         FROM gept_group g JOIN gept_group_member m ON m.group_id = g.id AND m.intern_id = $1 JOIN app_user l ON l.id = g.lead_id
        ORDER BY g.year, g.title`,
      [internId],
    );
    const shown = groups.filter((g) => requester.id === internId || requester.roles.includes('admin') || g.lead_id === requester.id);
    if (groups.length && !shown.length) return null;
    if (!groups.length && requester.id !== internId && !requester.roles.includes('admin')) return null;
    const meetings: { group_id: string; held_on: string; cases: string[]; present: boolean | null }[] = shown.length
      ? await this.dataSource.query(
          `SELECT mt.group_id, mt.held_on::text AS held_on, mt.cases, a.present
             FROM gept_meeting mt LEFT JOIN gept_attendance a ON a.meeting_id = mt.id AND a.intern_id = $2
            WHERE mt.group_id = ANY ($1::uuid[]) ORDER BY mt.held_on, mt.id`,
          [shown.map((g) => g.id), internId],
        )
      : [];
    return shown.map((g) => ({
      title: g.title,
      year: g.year,
      lead: g.lead,
      meetings: meetings.filter((m) => m.group_id === g.id).map((m) => ({ heldOn: m.held_on, cases: m.cases, present: m.present })),
    }));
  }

  /** The meetings of all the intern's tutorships (those who read the portfolio read them all), oldest first. */
  private async meetings(internId: string): Promise<PortfolioDes['meetings']> {
    const rows: { held_on: string; tutor: string; discussed: string; next_objectives: string; intern_confirmed_at: Date | null; tutor_confirmed_at: Date | null }[] = await this.dataSource.query(
      `SELECT m.held_on::text AS held_on, u.first_name || ' ' || u.last_name AS tutor, m.discussed, m.next_objectives, m.intern_confirmed_at, m.tutor_confirmed_at
         FROM tutor_meeting m JOIN tutorship t ON t.id = m.tutorship_id JOIN app_user u ON u.id = t.tutor_id
        WHERE t.intern_id = $1 ORDER BY m.held_on, m.created_at`,
      [internId],
    );
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
    const [thesis]: { id: string; subject: string; director_name: string | null; director_account: string | null }[] = await this.dataSource.query(
      `SELECT t.id, t.subject, t.director_name, d.first_name || ' ' || d.last_name AS director_account
         FROM thesis t LEFT JOIN app_user d ON d.id = t.director_id WHERE t.intern_id = $1`,
      [internId],
    );
    if (!thesis) return null;
    const steps: { label: string; planned_on: string | null; done_on: string | null; note: string }[] = await this.dataSource.query(
      `SELECT label, planned_on::text AS planned_on, done_on::text AS done_on, note FROM thesis_step WHERE thesis_id = $1 ORDER BY position`,
      [thesis.id],
    );
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
    const stages: { id: string; kind: string; semester: number; place: string; starts_on: string; ends_on: string }[] = await this.dataSource.query(
      `SELECT id, kind, semester, place, starts_on::text AS starts_on, ends_on::text AS ends_on FROM stage WHERE intern_id = $1 ORDER BY starts_on, id`,
      [internId],
    );
    const evaluations: { stage_id: string; evaluator_name: string; link_id: string | null; levels: Record<string, string>; comment: string; validation_proposed: boolean; submitted_at: Date }[] = stages.length
      ? await this.dataSource.query(
          `SELECT stage_id, evaluator_name, link_id, levels, comment, validation_proposed, submitted_at FROM stage_evaluation
            WHERE stage_id = ANY ($1::uuid[]) ORDER BY submitted_at, id`,
          [stages.map((s) => s.id)],
        )
      : [];
    return stages.map((s) => ({
      kind: s.kind,
      semester: s.semester,
      place: s.place,
      startsOn: s.starts_on,
      endsOn: s.ends_on,
      evaluations: evaluations
        .filter((e) => e.stage_id === s.id)
        .map((e) => ({ evaluator: e.evaluator_name, viaLink: e.link_id !== null, levels: e.levels, comment: e.comment, validationProposed: e.validation_proposed, submittedAt: e.submitted_at.toISOString() })),
    }));
  }
}
