import { Injectable } from '@nestjs/common';
import type { ProgressView, TeachingProgressView } from '@carnet/contracts';
import { PortfolioRepository, PROGRESS_SQL, User } from '@carnet/database';
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

// Where the benchmarks have always found it; its home is the portfolio repository.
export { PROGRESS_SQL };

/**
 * Progress of an intern in a phase, from validated traces only, in one statement: the kinds and
 * tags of the phase's traces (not their content), the assessments' levels, the last final
 * decision, and the rules it was judged by (the current ones if undecided). An index-served read
 * of one intern's rows (a few hundred at most), so its cost does not grow with the number of
 * interns; no summary table is needed.
 */
@Injectable()
export class ProgressService {
  constructor(private readonly portfolios: PortfolioRepository) {}

  async progress(intern: Pick<User, 'id' | 'promotion'>, requestedPhase?: Phase, now = new Date(), stageId?: string): Promise<Progress> {
    const promotion = intern.promotion ?? now.getUTCFullYear();
    const phase = requestedPhase ?? currentPhase(promotion, now);
    const window = phaseWindow(promotion, phase);
    // The socle counts everything validated so far; later phases, what was validated since they began.
    const since = phase === 'socle' ? new Date(0) : window.from;

    const row = await this.portfolios.progressOf(intern.id, phase, stageId ? { stageId } : { since });
    const { inPhase, ...meetings } = await this.portfolios.coSignedMeetings(intern.id, yearBefore(parisDay(now)), parisDay(since), parisDay(window.to));
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
    const geptAttended = await this.portfolios.geptMeetingsAttended(intern.id, parisDay(since), parisDay(window.to), parisDay(now));
    const teaching = await teachingProgress(this.portfolios, intern.id, phase, window, now);
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
