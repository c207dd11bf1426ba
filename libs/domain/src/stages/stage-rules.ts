import { DomainError, ErrorCode, FieldError } from '../errors';

export const STAGE_KINDS = ['praticien_n1', 'urgences', 'medecine_adulte', 'gyneco_pediatrie', 'libre', 'saspas'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

export const STAGE_LABELS: Record<StageKind, string> = {
  praticien_n1: 'stage chez le praticien niveau 1',
  urgences: 'urgences',
  medecine_adulte: 'médecine adulte',
  gyneco_pediatrie: 'gynécologie-pédiatrie',
  libre: 'stage libre',
  saspas: 'SASPAS',
};

export const SUPERVISION_PHASES = {
  1: 'la rencontre',
  2: 'le MSU consulte, l’interne observe',
  3: 'l’interne consulte, le MSU observe',
  4: 'rôles interchangeables, supervision directe',
  5: 'autonomie, supervision indirecte',
} as const;

export interface SupervisorInput {
  tutorId: string;
  referent: boolean;
  halfDaysPerWeek: number;
}

export const MIN_HALF_DAYS_N1 = 8;

/**
 * The supervision of a stage, as the DUMG's rules have it: a praticien_n1 stage has two or
 * three MSU (binôme / trinôme), exactly one référent, and at least 8 half-days a week in total;
 * a SASPAS up to four praticiens, one référent; hospital stages need no MSU.
 */
export function assertSupervisionFits(kind: StageKind, supervisors: readonly SupervisorInput[]): void {
  const faults: FieldError[] = [];
  const referents = supervisors.filter((s) => s.referent).length;
  const halfDays = supervisors.reduce((sum, s) => sum + s.halfDaysPerWeek, 0);
  if (new Set(supervisors.map((s) => s.tutorId)).size !== supervisors.length) {
    faults.push({ path: 'supervisors', message: 'un même MSU apparaît deux fois' });
  }
  if (kind === 'praticien_n1') {
    if (supervisors.length < 2 || supervisors.length > 3) {
      faults.push({ path: 'supervisors', message: `un stage chez le praticien niveau 1 se fait avec 2 ou 3 MSU (binôme ou trinôme), pas ${supervisors.length}` });
    }
    if (referents !== 1) faults.push({ path: 'supervisors', message: `exactement un MSU référent est requis (${referents} indiqué${referents > 1 ? 's' : ''})` });
    if (halfDays < MIN_HALF_DAYS_N1) {
      faults.push({ path: 'supervisors', message: `au moins ${MIN_HALF_DAYS_N1} demi-journées par semaine au total chez les MSU (${halfDays} indiquée${halfDays > 1 ? 's' : ''})` });
    }
  } else if (kind === 'saspas') {
    if (supervisors.length < 1 || supervisors.length > 4) faults.push({ path: 'supervisors', message: `un SASPAS se fait avec 1 à 4 praticiens, pas ${supervisors.length}` });
    if (referents !== 1) faults.push({ path: 'supervisors', message: `exactement un praticien référent est requis (${referents} indiqué${referents > 1 ? 's' : ''})` });
  } else if (referents > 1) {
    faults.push({ path: 'supervisors', message: 'un seul référent par stage' });
  }
  if (faults.length) throw new DomainError(ErrorCode.InvalidInput, `Encadrement refusé : ${faults.map((f) => f.message).join(' ; ')}.`, faults);
}

/** What the maquette asks: one of each mandatory kind, and six months of psychiatric training time. */
export const MAQUETTE_REQUIRED: { kind: StageKind; count: number }[] = [
  { kind: 'praticien_n1', count: 1 },
  { kind: 'urgences', count: 1 },
  { kind: 'medecine_adulte', count: 1 },
  { kind: 'gyneco_pediatrie', count: 1 },
  { kind: 'saspas', count: 1 },
  { kind: 'libre', count: 1 },
];
export const PSY_MONTHS_REQUIRED = 6;

export function maquetteGaps(stages: readonly { kind: StageKind; psyMonths: number }[]): string[] {
  const gaps: string[] = [];
  for (const { kind, count } of MAQUETTE_REQUIRED) {
    const done = stages.filter((s) => s.kind === kind).length;
    if (done < count) gaps.push(`${STAGE_LABELS[kind]}`);
  }
  const psy = stages.reduce((sum, s) => sum + s.psyMonths, 0);
  if (psy < PSY_MONTHS_REQUIRED) gaps.push(`${PSY_MONTHS_REQUIRED - psy} mois de formation en psychiatrie / santé mentale`);
  return gaps;
}
