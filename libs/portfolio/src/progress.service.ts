import { Injectable } from '@nestjs/common';
import type { ProgressView, TeachingProgressView } from '@carnet/contracts';
import { PreparedStatements, User } from '@carnet/database';
import { teachingProgress } from './teaching-progress';
import {
  COMPETENCE_CODES,
  COMPETENCES,
  coverageOf,
  currentPhase,
  evaluateRequirements,
  FAMILLE_CODES,
  FAMILLES,
  parisDay,
  Phase,
  phaseWindow,
  PhaseRules,
  RequirementStatus,
  TraceKind,
  yearBefore,
} from '@carnet/domain';

/** The API's view of progress (shared with the web app), its phase typed for the server. */
export interface Progress extends ProgressView {
  phase: Phase;
  /** The co-signed tutor meetings of all the intern's tutorships, in all and held in the last 12 months. */
  meetings: { coSigned: number; last12Months: number };
  /** The phase's mandatory teaching sessions, attended or missed (teaching-progress.ts). */
  teaching: TeachingProgressView;
}

/** The co-signed tutor meetings of an intern ($1), in all, held after $2 (a day) and from $3 to before $4 (the phase, counted like its traces). */
const MEETINGS_SQL = `SELECT count(*)::int AS "coSigned", count(*) FILTER (WHERE m.held_on > $2::date)::int AS "last12Months",
       count(*) FILTER (WHERE m.held_on >= $3::date AND m.held_on < $4::date)::int AS "inPhase"
  FROM tutor_meeting m JOIN tutorship t ON t.id = m.tutorship_id
 WHERE t.intern_id = $1 AND m.intern_confirmed_at IS NOT NULL AND m.tutor_confirmed_at IS NOT NULL`;

/**
 * The GEPT meetings an intern ($1) was ticked present at, in the groups they belong to, held from
 * $2 to before $3 (the phase, counted like its traces) and by $4 (today: a meeting planned ahead is
 * not attended yet). Through the intern's memberships (a few rows, by the member key), then the
 * groups' meetings and the attendance's primary key. The intern's faculty only, said here for the
 * workers' sweeps, which run outside any faculty's scope (GEPT groups stay with the faculty that
 * runs them when a portfolio moves).
 */
const GEPT_ATTENDED_SQL = `SELECT count(*)::int AS n
  FROM gept_group_member g JOIN app_user u ON u.id = g.intern_id AND u.faculty_id = g.faculty_id
  JOIN gept_meeting m ON m.group_id = g.group_id AND m.held_on >= $2::date AND m.held_on < $3::date AND m.held_on <= $4::date
  JOIN gept_attendance a ON a.meeting_id = m.id AND a.intern_id = g.intern_id AND a.present
 WHERE g.intern_id = $1`;

/**
 * The progress statement ($1 intern, $2 phase, $3 validated since): the kinds and tags of the
 * validated traces (not their content), the assessments' levels, the last final decision, and
 * the rules it was judged by (the current ones if undecided), as JSON.
 */
const progressSql = (traceScope: string) => `
  WITH decided AS (
    SELECT d.decision, d.session_id AS "sessionId", d.requirement_version AS "requirementVersion", d.created_at AS "createdAt"
      FROM jury_decision d JOIN jury_session s ON s.id = d.session_id
     WHERE d.intern_id = $1 AND s.phase = $2 AND d.decision IN ('validated', 'not_validated')
     ORDER BY d.created_at DESC LIMIT 1)
  SELECT
    (SELECT coalesce(json_agg(json_build_array(kind, competences, familles)), '[]') FROM trace
      WHERE intern_id = $1 AND status = 'validated' AND ${traceScope}) AS traces,
    (SELECT coalesce(json_agg(levels ORDER BY updated_at), '[]') FROM assessment WHERE intern_id = $1) AS levels,
    (SELECT row_to_json(decided) FROM decided) AS decision,
    -- A decided phase is judged by the rules it was decided on, which may have changed since.
    (SELECT json_build_object('version', version, 'rules', rules) FROM phase_requirement
      WHERE phase = $2 ORDER BY (version = (SELECT "requirementVersion" FROM decided)) DESC NULLS LAST, version DESC LIMIT 1) AS requirement`;
export const PROGRESS_SQL = progressSql('validated_at >= $3');
/** The same for one stage ($3 the stage). */
const PROGRESS_OF_STAGE_SQL = progressSql('stage_id = $3');

/** What the progress statement returns: JSON built by PostgreSQL, parsed once by the driver. */
interface ProgressRow {
  traces: [TraceKind, string[], string[]][];
  levels: Record<string, string>[];
  decision: { decision: string; sessionId: string; requirementVersion: number; createdAt: string } | null;
  requirement: { version: number; rules: PhaseRules } | null;
}

/**
 * Progress of an intern in a phase, from validated traces only, in one statement: the kinds and
 * tags of the phase's traces (not their content), the assessments' levels, the last final
 * decision, and the rules it was judged by (the current ones if undecided). An index-served read
 * of one intern's rows (a few hundred at most), so its cost does not grow with the number of
 * interns; no summary table is needed.
 */
@Injectable()
export class ProgressService {
  constructor(private readonly statements: PreparedStatements) {}

  async progress(intern: Pick<User, 'id' | 'promotion'>, requestedPhase?: Phase, now = new Date(), stageId?: string): Promise<Progress> {
    const promotion = intern.promotion ?? now.getUTCFullYear();
    const phase = requestedPhase ?? currentPhase(promotion, now);
    const window = phaseWindow(promotion, phase);
    // The socle counts everything validated so far; later phases, what was validated since they began.
    const since = phase === 'socle' ? new Date(0) : window.from;

    const [row] = await this.statements.query<ProgressRow>(stageId ? PROGRESS_OF_STAGE_SQL : PROGRESS_SQL, [intern.id, phase, stageId ?? since]);
    const [{ inPhase, ...meetings }] = await this.statements.query<Progress['meetings'] & { inPhase: number }>(MEETINGS_SQL, [intern.id, yearBefore(parisDay(now)), parisDay(since), parisDay(window.to)]);
    const { decision, requirement } = row;
    if (!requirement) throw new Error(`no requirements for the ${phase} phase`);

    const traces = row.traces.map(([kind, competences, familles]) => ({ kind, competences, familles }));
    const coverage = coverageOf(traces, FAMILLE_CODES);
    const kinds: Partial<Record<TraceKind, number>> = {};
    for (const trace of traces) kinds[trace.kind] = (kinds[trace.kind] ?? 0) + 1;
    const lastLevel = new Map<string, string>();
    for (const levels of row.levels) {
      for (const [competence, level] of Object.entries(levels)) lastLevel.set(competence, level);
    }
    const [{ n: geptAttended }] = await this.statements.query<{ n: number }>(GEPT_ATTENDED_SQL, [intern.id, parisDay(since), parisDay(window.to), parisDay(now)]);
    const teaching = await teachingProgress(this.statements, intern.id, phase, window, now);
    const judged = evaluateRequirements(phase, requirement.rules, kinds, coverage, { coSignedInPhase: inPhase, geptAttendedInPhase: geptAttended, teaching });
    return {
      internId: intern.id,
      phase,
      stageId: stageId ?? null,
      window: { from: window.from.toISOString(), to: window.to.toISOString() },
      requirementVersion: requirement.version,
      decided: decision ? { decision: decision.decision, sessionId: decision.sessionId, decidedAt: new Date(decision.createdAt).toISOString() } : null,
      competences: COMPETENCE_CODES.map((code) => ({ code, label: COMPETENCES[code], validated: coverage.byCompetence[code], lastLevel: lastLevel.get(code) ?? null })),
      familles: FAMILLE_CODES.map((code) => ({ code, label: (FAMILLES as Record<string, string>)[code], validated: coverage.byFamille[code] })),
      kinds,
      requirements: judged.requirements,
      gaps: judged.gaps,
      summary: judged.summary,
      validatedTotal: coverage.total,
      meetings,
      teaching,
    };
  }
}
