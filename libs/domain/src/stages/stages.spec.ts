import { DomainError } from '../errors';
import { daysInclusive, shareFees } from './fees';
import { assertSupervisionFits, maquetteGaps } from './stage-rules';

const msu = (tutorId: string, halfDaysPerWeek: number, referent = false) => ({ tutorId, halfDaysPerWeek, referent });
const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).message;
  }
  return null;
};

describe('supervision rules', () => {
  it('refuses 1 MSU, 4 MSU, two référents, and 7 half-days for a praticien_n1 stage', () => {
    expect(refusal(() => assertSupervisionFits('praticien_n1', [msu('a', 8, true)]))).toContain('2 ou 3 MSU');
    expect(refusal(() => assertSupervisionFits('praticien_n1', [msu('a', 2, true), msu('b', 2), msu('c', 2), msu('d', 2)]))).toContain('pas 4');
    expect(refusal(() => assertSupervisionFits('praticien_n1', [msu('a', 4, true), msu('b', 4, true)]))).toContain('exactement un MSU référent');
    expect(refusal(() => assertSupervisionFits('praticien_n1', [msu('a', 4, true), msu('b', 3)]))).toContain('au moins 8 demi-journées');
    expect(refusal(() => assertSupervisionFits('praticien_n1', [msu('a', 4, true), msu('b', 4)]))).toBeNull();
    expect(refusal(() => assertSupervisionFits('praticien_n1', [msu('a', 3, true), msu('b', 3), msu('c', 2)]))).toBeNull();
  });

  it('allows up to four praticiens in a SASPAS, and no MSU at the hospital', () => {
    expect(refusal(() => assertSupervisionFits('saspas', [msu('a', 3, true), msu('b', 3), msu('c', 2), msu('d', 2)]))).toBeNull();
    expect(refusal(() => assertSupervisionFits('saspas', [msu('a', 2, true), msu('b', 2), msu('c', 2), msu('d', 2), msu('e', 2)]))).toContain('1 à 4');
    expect(refusal(() => assertSupervisionFits('urgences', []))).toBeNull();
  });
});

describe('the fee split', () => {
  const sum = (shares: { amountCents: number }[]) => shares.reduce((s, x) => s + x.amountCents, 0);

  it('splits 3,600 € between two MSU with unequal half-days, exactly', () => {
    const shares = shareFees([
      { tutorId: 'a', halfDaysPerWeek: 5, days: 182 },
      { tutorId: 'b', halfDaysPerWeek: 4, days: 182 },
    ]);
    expect(shares.map((s) => s.amountCents)).toEqual([200000, 160000]);
    expect(sum(shares)).toBe(360000);
  });

  it('splits between three MSU whose thirds do not fall on whole cents, with a mid-stage change', () => {
    const shares = shareFees([
      { tutorId: 'a', halfDaysPerWeek: 3, days: 182 },
      { tutorId: 'b', halfDaysPerWeek: 3, days: 90 },
      { tutorId: 'b', halfDaysPerWeek: 4, days: 92 }, // b takes one more half-day from 1 February
      { tutorId: 'c', halfDaysPerWeek: 2, days: 182 },
    ]);
    expect(sum(shares)).toBe(360000);
    // Weights 546, 270 + 368 = 638, 364 over 1548.
    expect(shares.map((s) => s.weight)).toEqual([546, 638, 364]);
    expect(shares.map((s) => s.amountCents)).toEqual([126977, 148372, 84651]);
  });

  it('always sums to the fee', () => {
    for (let seed = 1; seed < 200; seed++) {
      const periods = Array.from({ length: 1 + (seed % 4) }, (_, i) => ({ tutorId: `t${i}`, halfDaysPerWeek: 1 + ((seed * (i + 3)) % 7), days: 30 + ((seed * 7 * (i + 1)) % 160) }));
      expect(sum(shareFees(periods))).toBe(360000);
    }
  });

  it('counts days inclusively', () => {
    expect(daysInclusive('2026-11-02', '2027-05-02')).toBe(182);
  });
});

describe('the maquette', () => {
  it('lists what is left to do', () => {
    expect(maquetteGaps([{ kind: 'praticien_n1', psyMonths: 0 }, { kind: 'urgences', psyMonths: 2 }])).toEqual([
      'médecine adulte',
      'gynécologie-pédiatrie',
      'SASPAS',
      'stage libre',
      '4 mois de formation en psychiatrie / santé mentale',
    ]);
  });
});
