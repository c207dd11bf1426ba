import { DEFAULT_RULES, evaluateRequirements, geptMeetingsRequirement, mandatoryTeachingRequirement, PhaseRules, rulesFaults } from './requirements';
import { coverageOf } from './coverage';
import { FAMILLE_CODES } from '../traces/referential';
import { judgeTeachingAttendance, MandatorySession } from '../teaching/teaching';

const none: PhaseRules = { kinds: {}, validatedTraces: 0, per: 'phase', minFamilles: 0, minCompetences: 0 };
const empty = coverageOf([], FAMILLE_CODES);
const now = new Date('2027-03-01T12:00:00Z');
const session = (id: string, title: string, startsAt: string, attendance: MandatorySession['attendance'], kind: MandatorySession['kind'] = 'seminaire_upm'): MandatorySession => ({
  id,
  title,
  kind,
  startsAt: new Date(startsAt),
  endsAt: new Date(Date.parse(startsAt) + 3 * 3600_000),
  attendance,
});

describe('the GEPT requirement: « au moins N participations à un GEPT par an »', () => {
  it('asks N a year of a one-year phase and says how many are missing', () => {
    const judged = evaluateRequirements('socle', { ...none, geptMeetingsPerYear: 6 }, {}, empty, { geptAttendedInPhase: 4 });
    expect(judged.requirements).toEqual([{ key: 'geptMeetings', label: 'Au moins 6 participations à un GEPT par an', target: 6, actual: 4, met: false }]);
    expect(judged.gaps).toEqual(['2 participations à un GEPT']);
    expect(judged.summary).toBe('Il manque 2 participations à un GEPT pour la phase socle.');
  });

  it('asks twice as many of the two-year approfondissement and names the phase total; met at the target', () => {
    expect(geptMeetingsRequirement('approfondissement', { ...none, geptMeetingsPerYear: 6 }, 11)).toEqual({
      status: { key: 'geptMeetings', label: 'Au moins 6 participations à un GEPT par an (12 sur la phase)', target: 12, actual: 11, met: false },
      gap: '1 participation à un GEPT',
    });
    expect(geptMeetingsRequirement('socle', { ...none, geptMeetingsPerYear: 1 }, 1)).toEqual({
      status: { key: 'geptMeetings', label: 'Au moins 1 participation à un GEPT par an', target: 1, actual: 1, met: true },
      gap: null,
    });
  });

  it('is absent from a version that does not ask for it, or asks for 0', () => {
    expect(evaluateRequirements('socle', none, {}, empty, { geptAttendedInPhase: 0 }).requirements).toEqual([]);
    expect(geptMeetingsRequirement('socle', { ...none, geptMeetingsPerYear: 0 }, 0)).toBeNull();
  });
});

describe('the mandatory teaching requirement: « toutes les séances obligatoires de la phase »', () => {
  const teaching = judgeTeachingAttendance(
    [
      session('a', 'Séminaire éthique', '2027-01-14T13:00:00Z', 'present'),
      session('b', 'Séminaire gériatrie', '2027-02-04T13:00:00Z', 'absent'),
      session('c', 'Atelier ECG', '2027-02-11T13:00:00Z', null, 'atelier'),
      session('d', 'Séminaire pédiatrie', '2027-02-18T13:00:00Z', 'excused'),
      session('e', 'Séminaire à venir', '2027-04-01T12:00:00Z', null),
    ],
    now,
  );

  it('counts the sessions held, attended or excused, and reuses the teaching gaps in words', () => {
    const judged = evaluateRequirements('socle', { ...none, mandatoryTeaching: true }, {}, empty, { teaching });
    expect(judged.requirements).toEqual([{ key: 'mandatoryTeaching', label: 'Toutes les séances obligatoires de la phase', target: 4, actual: 2, met: false }]);
    expect(judged.gaps).toEqual(teaching.gaps);
    expect(judged.gaps).toEqual(['1 séminaire UPM obligatoire manqué : Séminaire gériatrie (04/02/2027)', '1 atelier obligatoire manqué : Atelier ECG (11/02/2027)']);
    expect(judged.summary).toBe(
      'Exigences de la phase socle non remplies : 1 séminaire UPM obligatoire manqué : Séminaire gériatrie (04/02/2027) ; 1 atelier obligatoire manqué : Atelier ECG (11/02/2027).',
    );
  });

  it('says what is missing first, then the sessions missed', () => {
    const judged = evaluateRequirements('socle', { ...none, kinds: { rsca: 1 }, mandatoryTeaching: true, geptMeetingsPerYear: 6 }, {}, empty, { teaching, geptAttendedInPhase: 6 });
    expect(judged.requirements.map((r) => [r.key, r.met])).toEqual([
      ['kind.rsca', false],
      ['geptMeetings', true],
      ['mandatoryTeaching', false],
    ]);
    expect(judged.summary).toBe(
      'Il manque 1 RSCA pour la phase socle ; 1 séminaire UPM obligatoire manqué : Séminaire gériatrie (04/02/2027) ; 1 atelier obligatoire manqué : Atelier ECG (11/02/2027).',
    );
  });

  it('is met when nothing was missed: an excused absence or a session to come is no gap', () => {
    const kept = judgeTeachingAttendance([session('a', 'S1', '2027-01-14T13:00:00Z', 'present'), session('d', 'S2', '2027-02-18T13:00:00Z', 'excused'), session('e', 'S3', '2027-04-01T12:00:00Z', null)], now);
    const judged = evaluateRequirements('consolidation', { ...none, mandatoryTeaching: true }, {}, empty, { teaching: kept });
    expect(judged.requirements).toEqual([{ key: 'mandatoryTeaching', label: 'Toutes les séances obligatoires de la phase', target: 2, actual: 2, met: true }]);
    expect(judged.gaps).toEqual([]);
    expect(judged.summary).toBe('Les exigences de la phase de consolidation sont remplies.');
  });

  it('is absent when the version does not ask for it: missed sessions then stay out of the requirements', () => {
    expect(mandatoryTeachingRequirement(none, teaching)).toBeNull();
    expect(mandatoryTeachingRequirement({ ...none, mandatoryTeaching: false }, teaching)).toBeNull();
    const judged = evaluateRequirements('socle', none, {}, empty, { teaching });
    expect(judged).toEqual({ requirements: [], gaps: [], summary: 'Les exigences de la phase socle sont remplies.' });
  });
});

describe('the attendance rules in the versions', () => {
  it('are asked by a new faculty’s defaults: mandatory teaching in every phase, no GEPT figure', () => {
    expect([DEFAULT_RULES.socle, DEFAULT_RULES.approfondissement, DEFAULT_RULES.consolidation].map((r) => [r.mandatoryTeaching, r.geptMeetingsPerYear])).toEqual([
      [true, undefined],
      [true, undefined],
      [true, undefined],
    ]);
  });

  it('are checked when an admin sets them', () => {
    expect(rulesFaults({ ...none, geptMeetingsPerYear: 25 })).toEqual([{ path: 'geptMeetingsPerYear', message: 'entier entre 0 et 24' }]);
    expect(rulesFaults({ ...none, mandatoryTeaching: 'oui' as unknown as boolean })).toEqual([{ path: 'mandatoryTeaching', message: 'oui ou non attendu' }]);
    expect(rulesFaults({ ...none, geptMeetingsPerYear: 6, mandatoryTeaching: true })).toEqual([]);
  });
});
