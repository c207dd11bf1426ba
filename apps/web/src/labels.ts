import { COMPETENCES, FAMILLES } from '@carnet/referential';

export const STATUS_LABELS: Record<string, string> = {
  draft: 'Brouillon',
  submitted: 'En relecture',
  changes_requested: 'À reprendre',
  validated: 'Validée',
};

export const KIND_LABELS: Record<string, string> = {
  rsca: 'RSCA',
  trace: 'Trace d’apprentissage',
  gept: 'GEPT / AEP',
  stage_review: 'Bilan de stage',
  other: 'Autre',
};

export const COMPETENCE_LABELS = COMPETENCES as Record<string, string>;
export const FAMILLE_LABELS = FAMILLES as Record<string, string>;

export const SHORT_COMPETENCES: Record<string, string> = {
  premier_recours: 'Premier recours',
  relation: 'Relation',
  approche_globale: 'Approche globale',
  education: 'Éducation',
  continuite: 'Continuité',
  professionnalisme: 'Professionnalisme',
};

export const dateFr = (iso: string | null | undefined) =>
  iso ? new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'Europe/Paris' }).format(new Date(iso)) : '—';

export const daysSince = (iso: string | null) => (iso ? Math.floor((Date.now() - Date.parse(iso)) / 86400_000) : 0);
