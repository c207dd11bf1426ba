import type { Level, Phase } from './portfolio/phases';
import type { TraceKind, TraceStatus } from './traces/referential';

/*
 * The French words for the codes the product stores, one wording per code, used alike by the web
 * app, the PDF and ZIP exports and the mails. Typed by string so a code read from JSON or the
 * database indexes them; `satisfies` keeps each one complete over its codes.
 */

export const TRACE_KIND_LABELS: Readonly<Record<string, string>> = {
  rsca: 'RSCA',
  trace: 'Trace d’apprentissage',
  gept: 'GEPT / AEP',
  stage_review: 'Bilan de stage',
  other: 'Autre',
} satisfies Record<TraceKind, string>;

export const TRACE_STATUS_LABELS: Readonly<Record<string, string>> = {
  draft: 'Brouillon',
  submitted: 'En relecture',
  changes_requested: 'À reprendre',
  validated: 'Validée',
} satisfies Record<TraceStatus, string>;

/** A phase inside a sentence: « il manque … pour la phase socle ». */
export const PHASE_LABELS: Readonly<Record<string, string>> = {
  socle: 'phase socle',
  approfondissement: 'phase d’approfondissement',
  consolidation: 'phase de consolidation',
} satisfies Record<Phase, string>;

/** A phase on its own: a heading, a list item, an option. */
export const PHASE_TITLES: Readonly<Record<string, string>> = {
  socle: 'Phase socle',
  approfondissement: 'Phase d’approfondissement',
  consolidation: 'Phase de consolidation',
} satisfies Record<Phase, string>;

export const LEVEL_LABELS: Readonly<Record<string, string>> = {
  novice: 'Novice',
  intermediaire: 'Intermédiaire',
  competent: 'Compétent',
  expert: 'Expert',
} satisfies Record<Level, string>;

/** A tutor's recommendation to the commission, in the order a form offers them. */
export const RECOMMENDATION_LABELS: Readonly<Record<string, string>> = {
  favorable: 'Avis favorable',
  reserve: 'Avis réservé',
  defavorable: 'Avis défavorable',
} satisfies Record<'favorable' | 'reserve' | 'defavorable', string>;

/** A commission's decision on a phase, in the order a form offers them. */
export const JURY_DECISION_LABELS: Readonly<Record<string, string>> = {
  validated: 'Phase validée',
  not_validated: 'Phase non validée',
  deferred: 'Décision ajournée',
} satisfies Record<'validated' | 'not_validated' | 'deferred', string>;
