import { COMPETENCES, FAMILLES, TraceKind } from '../traces/referential';
import { Coverage } from './coverage';
import { PHASE_LABELS } from '../labels';
import { Phase, PHASE_SEMESTERS } from './phases';

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
}

export const DEFAULT_RULES: Record<Phase, PhaseRules> = {
  socle: { kinds: { rsca: 1 }, validatedTraces: 2, per: 'semester', minFamilles: 4, minCompetences: 3, tutorMeetingsPerYear: 3 },
  approfondissement: { kinds: { rsca: 2 }, validatedTraces: 2, per: 'semester', minFamilles: 8, minCompetences: 6, tutorMeetingsPerYear: 3 },
  consolidation: { kinds: { rsca: 1 }, validatedTraces: 2, per: 'semester', minFamilles: 11, minCompetences: 6, tutorMeetingsPerYear: 3 },
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

/**
 * Judges validated work against a phase's rules: each requirement with its target and count,
 * and the gaps in plain French ("Il manque 1 RSCA et 2 familles : …"). `meetings` is the count
 * of co-signed tutor meetings held within the phase.
 */
export function evaluateRequirements(
  phase: Phase,
  rules: PhaseRules,
  validatedByKind: Partial<Record<TraceKind, number>>,
  coverage: Coverage,
  meetings?: { coSignedInPhase: number },
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
  const meetingRule = tutorMeetingsRequirement(phase, rules, meetings?.coSignedInPhase ?? 0);
  if (meetingRule) {
    requirements.push(meetingRule.status);
    if (meetingRule.gap) gaps.push(meetingRule.gap);
  }
  const summary = gaps.length
    ? `Il manque ${gaps.length === 1 ? gaps[0] : `${gaps.slice(0, -1).join(', ')} et ${gaps[gaps.length - 1]}`} pour la ${PHASE_LABELS[phase]}.`
    : `Les exigences de la ${PHASE_LABELS[phase]} sont remplies.`;
  return { requirements, gaps, summary };
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
  if (rules.per !== 'phase' && rules.per !== 'semester') faults.push({ path: 'per', message: 'phase ou semester' });
  return faults;
}
