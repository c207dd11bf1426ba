/** The honoraires pédagogiques of a semester, in cents. */
export const SEMESTER_FEE_CENTS = 360_000;

export interface SupervisionPeriod {
  tutorId: string;
  halfDaysPerWeek: number;
  /** Days this MSU supervised with these half-days (inclusive count). */
  days: number;
}

export interface FeeShare {
  tutorId: string;
  /** Half-days × days, the weight of the MSU in the split. */
  weight: number;
  share: number;
  amountCents: number;
}

/**
 * Shares the semester fee prorata temporis: each MSU weighs their half-days a week times the
 * days they supervised; amounts are whole cents, rounded by largest remainder so they always
 * sum to exactly the fee (ties go to the MSU listed first).
 */
export function shareFees(periods: readonly SupervisionPeriod[], total = SEMESTER_FEE_CENTS): FeeShare[] {
  const weights = new Map<string, number>();
  for (const p of periods) weights.set(p.tutorId, (weights.get(p.tutorId) ?? 0) + p.halfDaysPerWeek * Math.max(0, p.days));
  const entries = [...weights.entries()];
  const sum = entries.reduce((s, [, w]) => s + w, 0);
  if (sum === 0) return entries.map(([tutorId]) => ({ tutorId, weight: 0, share: 0, amountCents: 0 }));
  // Exact integer arithmetic: floor(total × w / sum) and the remainders, in BigInt.
  const exact = entries.map(([tutorId, weight], index) => {
    const numerator = BigInt(total) * BigInt(weight);
    return { tutorId, weight, index, floor: Number(numerator / BigInt(sum)), remainder: numerator % BigInt(sum) };
  });
  let left = total - exact.reduce((s, e) => s + e.floor, 0);
  const byRemainder = [...exact].sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const extra = new Set<number>();
  for (const e of byRemainder) {
    if (left <= 0) break;
    extra.add(e.index);
    left--;
  }
  return exact.map((e) => ({ tutorId: e.tutorId, weight: e.weight, share: e.weight / sum, amountCents: e.floor + (extra.has(e.index) ? 1 : 0) }));
}

/** Days between two ISO dates (YYYY-MM-DD), both included. */
export function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400_000) + 1;
}
