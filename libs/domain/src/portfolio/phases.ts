import { DomainError, ErrorCode } from '../errors';

export const PHASES = ['socle', 'approfondissement', 'consolidation'] as const;
export type Phase = (typeof PHASES)[number];

export const LEVELS = ['novice', 'intermediaire', 'competent', 'expert'] as const;
export type Level = (typeof LEVELS)[number];

/** Years of the DES each phase spans, counted from the promotion's November entry. */
const PHASE_YEARS: Record<Phase, [number, number]> = { socle: [0, 1], approfondissement: [1, 3], consolidation: [3, 4] };
export const PHASE_SEMESTERS: Record<Phase, number> = { socle: 2, approfondissement: 4, consolidation: 2 };

/** The dates a phase spans for a promotion (the DES starts on 1 November of the promotion year). */
export function phaseWindow(promotion: number, phase: Phase): { from: Date; to: Date } {
  const [start, end] = PHASE_YEARS[phase];
  return { from: new Date(Date.UTC(promotion + start, 10, 1)), to: new Date(Date.UTC(promotion + end, 10, 1)) };
}

/** Where an intern of `promotion` stands on `now` (before entry: socle; after the 4th year: consolidation). */
export function currentPhase(promotion: number, now: Date): Phase {
  return PHASES.find((phase) => now < phaseWindow(promotion, phase).to) ?? 'consolidation';
}

/** `expert` is a level of the end of the consolidation phase only. */
export function assertLevelsFit(phase: Phase, levels: Record<string, string>): void {
  for (const [competence, level] of Object.entries(levels)) {
    if (level === 'expert' && phase !== 'consolidation') {
      throw new DomainError(ErrorCode.InvalidInput, 'Le niveau « expert » ne s’évalue qu’en fin de phase de consolidation.', [
        { path: `levels.${competence}`, message: 'niveau réservé à la consolidation' },
      ]);
    }
  }
}
