import { COMPETENCES, FAMILLES, TRACE_KIND_LABELS, TRACE_STATUS_LABELS } from '@carnet/domain';

// The wording lives in @carnet/domain, shared with the PDF and the ZIP; these names are the pages'.
export const STATUS_LABELS = TRACE_STATUS_LABELS;
export const KIND_LABELS = TRACE_KIND_LABELS;

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

/** A date as French readers write it: jj/mm/aaaa, in the department's time zone. */
export const dateFr = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString('fr-FR', { timeZone: 'Europe/Paris' }) : '—');

/** A date and time: « 03/12/2026 à 14:05 ». */
export const dateTimeFr = (iso: string | null | undefined) =>
  iso ? `${dateFr(iso)} à ${new Date(iso).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' })}` : '—';

/** A file size in French units (of 1024) and decimal comma: « 850 octets », « 12 Ko », « 1,2 Mo ». */
export function sizeFr(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} octets`;
  const units = ['Ko', 'Mo', 'Go'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toLocaleString('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${units[unit]}`;
}

export const daysSince = (iso: string | null) => (iso ? Math.floor((Date.now() - Date.parse(iso)) / 86400_000) : 0);
