import { COMPETENCES, FAMILLES, TraceKind } from '../traces/referential';
import { Coverage } from './coverage';
import { PHASE_LABELS } from '../labels';
import { Phase, PHASE_SEMESTERS } from './phases';
import type { TeachingAttendanceJudgement } from '../teaching/teaching';

/** What a department asks of a phase: data an admin edits, versioned. */
export interface PhaseRules {
  /** Validated traces of each kind (e.g. { rsca: 1 }). */
  kinds: Partial<Record<TraceKind, number>>;
  /** Validated traces of any kind, for the phase or per semester of it. */
  validatedTraces: number;
  per: 'phase' | 'semester';
  /** Distinct familles and competences covered by validated traces. */
  minFamilles: number;
  minCompetences: number;
  /**
   * Co-signed tutor meetings held per year of the phase (several faculties ask for three). A
   * version without it asks for none: versions written before the rule existed judge as they did.
   */
  tutorMeetingsPerYear?: number;
  /**
   * GEPT meetings attended per year of the phase, in the GEPT groups the intern belongs to. Like
   * `tutorMeetingsPerYear`, absent from older versions, which judge as they did.
   */
  geptMeetingsPerYear?: number;
  /**
   * « Toutes les séances obligatoires de la phase »: every mandatory teaching session of the phase
   * already held attended, or the absence justified. Absent or false: attendance is shown in
   * progress but does not count among the requirements.
   */
  mandatoryTeaching?: boolean;
}

/**
 * What a new faculty starts with. Mandatory teaching is the faculty's own word (a session it marks
 * mandatory for a phase), so the defaults ask for it in every phase; how many GEPT meetings a year
 * varies between faculties and the seeds name no figure, so the defaults ask for none.
 */
export const DEFAULT_RULES: Record<Phase, PhaseRules> = {
  socle: { kinds: { rsca: 1 }, validatedTraces: 2, per: 'semester', minFamilles: 4, minCompetences: 3, tutorMeetingsPerYear: 3, mandatoryTeaching: true },
  approfondissement: { kinds: { rsca: 2 }, validatedTraces: 2, per: 'semester', minFamilles: 8, minCompetences: 6, tutorMeetingsPerYear: 3, mandatoryTeaching: true },
  consolidation: { kinds: { rsca: 1 }, validatedTraces: 2, per: 'semester', minFamilles: 11, minCompetences: 6, tutorMeetingsPerYear: 3, mandatoryTeaching: true },
};

export interface RequirementStatus {
  key: string;
  label: string;
  target: number;
  actual: number;
  met: boolean;
}

const KIND_NAMES: Record<TraceKind, [string, string]> = {
  rsca: ['RSCA', 'RSCA'],
  trace: ['trace d’apprentissage', 'traces d’apprentissage'],
  gept: ['compte rendu de GEPT', 'comptes rendus de GEPT'],
  stage_review: ['bilan de stage', 'bilans de stage'],
  other: ['autre document', 'autres documents'],
};

const plural = (n: number, [one, many]: [string, string]) => `${n} ${n > 1 ? many : one}`;
const lower = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

/** What the intern did within the phase besides traces, as progress counts it. */
export interface PhaseAttendance {
  /** Co-signed tutor meetings held within the phase. */
  coSignedInPhase?: number;
  /** GEPT meetings of their groups, held within the phase, they were ticked present at. */
  geptAttendedInPhase?: number;
  /** The phase's mandatory teaching as progress judged it (`judgeTeachingAttendance`): its gaps are reused, not worked out again. */
  teaching?: Pick<TeachingAttendanceJudgement, 'held' | 'attended' | 'excused' | 'gaps'> & { missed: readonly unknown[] };
}

/**
 * Judges validated work against a phase's rules: each requirement with its target and count,
 * and the gaps in plain French ("Il manque 1 RSCA et 2 familles : …"). `attendance` holds the
 * co-signed tutor meetings, GEPT meetings attended and mandatory teaching of the phase.
 */
export function evaluateRequirements(
  phase: Phase,
  rules: PhaseRules,
  validatedByKind: Partial<Record<TraceKind, number>>,
  coverage: Coverage,
  attendance?: PhaseAttendance,
): { requirements: RequirementStatus[]; gaps: string[]; summary: string } {
  const requirements: RequirementStatus[] = [];
  const gaps: string[] = [];
  for (const [kind, target] of Object.entries(rules.kinds) as [TraceKind, number][]) {
    if (!target) continue;
    const actual = validatedByKind[kind] ?? 0;
    requirements.push({ key: `kind.${kind}`, label: `${plural(target, KIND_NAMES[kind])} validé${target > 1 ? 's' : ''}`, target, actual, met: actual >= target });
    if (actual < target) gaps.push(plural(target - actual, KIND_NAMES[kind]));
  }
  const tracesTarget = rules.per === 'semester' ? rules.validatedTraces * PHASE_SEMESTERS[phase] : rules.validatedTraces;
  if (tracesTarget > 0) {
    requirements.push({ key: 'validatedTraces', label: `${tracesTarget} traces validées`, target: tracesTarget, actual: coverage.total, met: coverage.total >= tracesTarget });
    if (coverage.total < tracesTarget) gaps.push(plural(tracesTarget - coverage.total, ['trace validée', 'traces validées']));
  }
  const coveredFamilles = Object.entries(coverage.byFamille).filter(([, n]) => n > 0).map(([f]) => f);
  if (rules.minFamilles > 0) {
    const met = coveredFamilles.length >= rules.minFamilles;
    requirements.push({ key: 'familles', label: `${rules.minFamilles} familles de situations couvertes`, target: rules.minFamilles, actual: coveredFamilles.length, met });
    if (!met) {
      const missing = Object.keys(FAMILLES).filter((f) => !coveredFamilles.includes(f));
      const short = missing.map((f) => FAMILLE_SHORT[f] ?? f);
      gaps.push(`${plural(rules.minFamilles - coveredFamilles.length, ['famille', 'familles'])} parmi : ${short.join(', ')}`);
    }
  }
  const coveredCompetences = Object.entries(coverage.byCompetence).filter(([, n]) => n > 0).map(([c]) => c);
  if (rules.minCompetences > 0) {
    const met = coveredCompetences.length >= rules.minCompetences;
    requirements.push({ key: 'competences', label: `${rules.minCompetences} compétences couvertes`, target: rules.minCompetences, actual: coveredCompetences.length, met });
    if (!met) {
      const missing = Object.entries(COMPETENCES).filter(([c]) => !coveredCompetences.includes(c)).map(([, label]) => lower(label.split(',')[0]));
      gaps.push(`${plural(rules.minCompetences - coveredCompetences.length, ['compétence', 'compétences'])} parmi : ${missing.join(', ')}`);
    }
  }
  for (const rule of [tutorMeetingsRequirement(phase, rules, attendance?.coSignedInPhase ?? 0), geptMeetingsRequirement(phase, rules, attendance?.geptAttendedInPhase ?? 0)]) {
    if (!rule) continue;
    requirements.push(rule.status);
    if (rule.gap) gaps.push(rule.gap);
  }
  // Missed sessions are said as they are (« 1 séminaire UPM obligatoire manqué : … »), not as something missing.
  const missed = mandatoryTeachingRequirement(rules, attendance?.teaching);
  if (missed) requirements.push(missed.status);
  const missedGaps = missed?.gaps ?? [];
  const parts: string[] = [];
  if (gaps.length) parts.push(`Il manque ${gaps.length === 1 ? gaps[0] : `${gaps.slice(0, -1).join(', ')} et ${gaps[gaps.length - 1]}`} pour la ${PHASE_LABELS[phase]}`);
  if (missedGaps.length) parts.push(`${gaps.length ? '' : `Exigences de la ${PHASE_LABELS[phase]} non remplies : `}${missedGaps.join(' ; ')}`);
  const summary = parts.length ? `${parts.join(' ; ')}.` : `Les exigences de la ${PHASE_LABELS[phase]} sont remplies.`;
  return { requirements, gaps: [...gaps, ...missedGaps], summary };
}

/**
 * « Au moins N participations à un GEPT par an », over the phase's years, or null when the rules
 * ask for none.
 */
export function geptMeetingsRequirement(phase: Phase, rules: PhaseRules, attendedInPhase: number): { status: RequirementStatus; gap: string | null } | null {
  const perYear = rules.geptMeetingsPerYear ?? 0;
  if (perYear <= 0) return null;
  const years = Math.max(1, Math.round(PHASE_SEMESTERS[phase] / 2));
  const target = perYear * years;
  const words: [string, string] = ['participation à un GEPT', 'participations à un GEPT'];
  const met = attendedInPhase >= target;
  return {
    status: { key: 'geptMeetings', label: `Au moins ${plural(perYear, words)} par an${years > 1 ? ` (${target} sur la phase)` : ''}`, target, actual: attendedInPhase, met },
    gap: met ? null : plural(target - attendedInPhase, words),
  };
}

/**
 * « Toutes les séances obligatoires de la phase »: of the mandatory sessions already held, each
 * attended or its absence justified; the gaps are those progress already words for the teaching
 * (one line per kind, naming the sessions). Null when the rules do not ask for it.
 */
export function mandatoryTeachingRequirement(
  rules: PhaseRules,
  teaching: PhaseAttendance['teaching'] | undefined,
): { status: RequirementStatus; gaps: string[] } | null {
  if (rules.mandatoryTeaching !== true) return null;
  const held = teaching?.held ?? 0;
  const actual = (teaching?.attended ?? 0) + (teaching?.excused ?? 0);
  const met = (teaching?.missed.length ?? 0) === 0;
  return { status: { key: 'mandatoryTeaching', label: 'Toutes les séances obligatoires de la phase', target: held, actual, met }, gaps: met ? [] : [...(teaching?.gaps ?? [])] };
}

/**
 * « Au moins N rencontres tuteur co-signées par an », over the phase's years (a phase of four
 * semesters asks for twice the yearly number), or null when the rules ask for none.
 */
export function tutorMeetingsRequirement(phase: Phase, rules: PhaseRules, coSignedInPhase: number): { status: RequirementStatus; gap: string | null } | null {
  const perYear = rules.tutorMeetingsPerYear ?? 0;
  if (perYear <= 0) return null;
  const years = Math.max(1, Math.round(PHASE_SEMESTERS[phase] / 2));
  const target = perYear * years;
  const label = `au moins ${plural(perYear, ['rencontre tuteur co-signée', 'rencontres tuteur co-signées'])} par an${years > 1 ? ` (${target} sur la phase)` : ''}`;
  const met = coSignedInPhase >= target;
  return {
    status: { key: 'tutorMeetings', label: label.charAt(0).toUpperCase() + label.slice(1), target, actual: coSignedInPhase, met },
    gap: met ? null : plural(target - coSignedInPhase, ['rencontre tuteur co-signée', 'rencontres tuteur co-signées']),
  };
}

export const FAMILLE_SHORT: Record<string, string> = {
  chronique: 'maladies chroniques',
  aigu: 'problèmes aigus',
  urgence: 'urgences',
  enfant_adolescent: 'enfant et adolescent',
  sexualite: 'sexualité et génitalité',
  famille_couple: 'famille et couple',
  travail: 'travail',
  medico_legal: 'médico-légal',
  patient_difficile: 'patients difficiles',
  social: 'social',
  autre_culture: 'autre culture',
};

/** Checks rules an admin submits. Returns French faults, empty when fine. */
export function rulesFaults(rules: PhaseRules): { path: string; message: string }[] {
  const faults: { path: string; message: string }[] = [];
  const count = (value: unknown, path: string, max: number) => {
    if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max) faults.push({ path, message: `entier entre 0 et ${max}` });
  };
  for (const [kind, n] of Object.entries(rules.kinds ?? {})) {
    if (!(kind in KIND_NAMES)) faults.push({ path: `kinds.${kind}`, message: 'type de trace inconnu' });
    count(n, `kinds.${kind}`, 100);
  }
  count(rules.validatedTraces, 'validatedTraces', 200);
  count(rules.minFamilles, 'minFamilles', 12);
  count(rules.minCompetences, 'minCompetences', 6);
  if (rules.tutorMeetingsPerYear !== undefined) count(rules.tutorMeetingsPerYear, 'tutorMeetingsPerYear', 12);
  if (rules.geptMeetingsPerYear !== undefined) count(rules.geptMeetingsPerYear, 'geptMeetingsPerYear', 24);
  if (rules.mandatoryTeaching !== undefined && typeof rules.mandatoryTeaching !== 'boolean') faults.push({ path: 'mandatoryTeaching', message: 'oui ou non attendu' });
  if (rules.per !== 'phase' && rules.per !== 'semester') faults.push({ path: 'per', message: 'phase ou semester' });
  return faults;
}
