import { DEFAULT_RULES, evaluateRequirements, PhaseRules, rulesFaults, tutorMeetingsRequirement } from './requirements';
import { coverageOf } from './coverage';
import { FAMILLE_CODES } from '../traces/referential';

const none: PhaseRules = { kinds: {}, validatedTraces: 0, per: 'phase', minFamilles: 0, minCompetences: 0 };
const empty = coverageOf([], FAMILLE_CODES);

describe('the tutor meetings requirement: « au moins 3 rencontres tuteur co-signées par an »', () => {
  it('asks three a year of a one-year phase, and says how many are missing', () => {
    const judged = evaluateRequirements('socle', { ...none, tutorMeetingsPerYear: 3 }, {}, empty, { coSignedInPhase: 1 });
    expect(judged.requirements).toEqual([{ key: 'tutorMeetings', label: 'Au moins 3 rencontres tuteur co-signées par an', target: 3, actual: 1, met: false }]);
    expect(judged.gaps).toEqual(['2 rencontres tuteur co-signées']);
    expect(judged.summary).toBe('Il manque 2 rencontres tuteur co-signées pour la phase socle.');
  });

  it('asks twice as many of the two-year approfondissement, and names the phase total', () => {
    const rule = tutorMeetingsRequirement('approfondissement', { ...none, tutorMeetingsPerYear: 3 }, 5);
    expect(rule).toEqual({ status: { key: 'tutorMeetings', label: 'Au moins 3 rencontres tuteur co-signées par an (6 sur la phase)', target: 6, actual: 5, met: false }, gap: '1 rencontre tuteur co-signée' });
  });

  it('is met at the target, and the summary says the phase is complete', () => {
    const judged = evaluateRequirements('consolidation', { ...none, tutorMeetingsPerYear: 3 }, {}, empty, { coSignedInPhase: 3 });
    expect(judged.requirements[0]).toMatchObject({ target: 3, actual: 3, met: true });
    expect(judged.gaps).toEqual([]);
    expect(judged.summary).toBe('Les exigences de la phase de consolidation sont remplies.');
  });

  it('is absent from a version that does not ask for it (versions older than the rule judge as they did)', () => {
    expect(evaluateRequirements('socle', none, {}, empty, { coSignedInPhase: 0 }).requirements).toEqual([]);
    expect(tutorMeetingsRequirement('socle', { ...none, tutorMeetingsPerYear: 0 }, 0)).toBeNull();
    expect(DEFAULT_RULES.socle.tutorMeetingsPerYear).toBe(3);
  });

  it('is checked when an admin sets it', () => {
    expect(rulesFaults({ ...none, tutorMeetingsPerYear: 13 })).toEqual([{ path: 'tutorMeetingsPerYear', message: 'entier entre 0 et 12' }]);
    expect(rulesFaults({ ...none, tutorMeetingsPerYear: 3 })).toEqual([]);
  });
});
