import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ProgressView } from '@carnet/contracts';
import { Assessment, JuryDecision, PhaseRequirement, User } from '@carnet/database';
import {
  COMPETENCE_CODES,
  COMPETENCES,
  coverageOf,
  currentPhase,
  evaluateRequirements,
  FAMILLE_CODES,
  FAMILLES,
  Phase,
  phaseWindow,
  PhaseRules,
  RequirementStatus,
  TraceKind,
} from '@carnet/domain';

/** The API's view of progress (shared with the web app), its phase typed for the server. */
export interface Progress extends ProgressView {
  phase: Phase;
}

/**
 * Progress of an intern in a phase, from validated traces only: one query for the traces of the
 * phase (their kinds and tags, not their content), one for the assessments, one for a decision,
 * one for the rules, all at once. An index-served read of one intern's rows (a few hundred at
 * most), so its cost does not grow with the number of interns; no summary table is needed.
 */
@Injectable()
export class ProgressService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async progress(intern: User, requestedPhase?: Phase, now = new Date(), stageId?: string): Promise<Progress> {
    const promotion = intern.promotion ?? now.getUTCFullYear();
    const phase = requestedPhase ?? currentPhase(promotion, now);
    const window = phaseWindow(promotion, phase);
    // The socle counts everything validated so far; later phases, what was validated since they began.
    const since = phase === 'socle' ? new Date(0) : window.from;

    const [traces, assessments, decision, latest] = await Promise.all([
      this.dataSource.query(
        stageId
          ? `SELECT kind, competences, familles FROM trace WHERE intern_id = $1 AND status = 'validated' AND stage_id = $2`
          : `SELECT kind, competences, familles FROM trace WHERE intern_id = $1 AND status = 'validated' AND validated_at >= $2`,
        [intern.id, stageId ?? since],
      ) as Promise<{ kind: TraceKind; competences: string[]; familles: string[] }[]>,
      this.dataSource.getRepository(Assessment).find({ where: { internId: intern.id }, order: { updatedAt: 'ASC' } }),
      this.dataSource
        .getRepository(JuryDecision)
        .createQueryBuilder('d')
        .innerJoin('jury_session', 's', 's.id = d.session_id')
        .where('d.intern_id = :intern AND s.phase = :phase AND d.decision IN (:...final)', { intern: intern.id, phase, final: ['validated', 'not_validated'] })
        .orderBy('d.created_at', 'DESC')
        .getOne(),
      this.latestRequirement(phase),
    ]);
    // A decided phase is judged by the rules it was decided on, which may have changed since.
    const requirement =
      decision && decision.requirementVersion !== latest.version
        ? await this.dataSource.getRepository(PhaseRequirement).findOneByOrFail({ phase, version: decision.requirementVersion })
        : latest;

    const coverage = coverageOf(traces, FAMILLE_CODES);
    const kinds: Partial<Record<TraceKind, number>> = {};
    for (const trace of traces) kinds[trace.kind] = (kinds[trace.kind] ?? 0) + 1;
    const lastLevel = new Map<string, string>();
    for (const assessment of assessments) {
      for (const [competence, level] of Object.entries(assessment.levels as Record<string, string>)) lastLevel.set(competence, level);
    }
    const judged = evaluateRequirements(phase, requirement.rules as PhaseRules, kinds, coverage);
    return {
      internId: intern.id,
      phase,
      stageId: stageId ?? null,
      window: { from: window.from.toISOString(), to: window.to.toISOString() },
      requirementVersion: requirement.version,
      decided: decision ? { decision: decision.decision, sessionId: decision.sessionId, decidedAt: decision.createdAt.toISOString() } : null,
      competences: COMPETENCE_CODES.map((code) => ({ code, label: COMPETENCES[code], validated: coverage.byCompetence[code], lastLevel: lastLevel.get(code) ?? null })),
      familles: FAMILLE_CODES.map((code) => ({ code, label: (FAMILLES as Record<string, string>)[code], validated: coverage.byFamille[code] })),
      kinds,
      requirements: judged.requirements,
      gaps: judged.gaps,
      summary: judged.summary,
      validatedTotal: coverage.total,
    };
  }

  async latestRequirement(phase: Phase): Promise<PhaseRequirement> {
    return this.dataSource.getRepository(PhaseRequirement).findOneOrFail({ where: { phase }, order: { version: 'DESC' } });
  }
}
