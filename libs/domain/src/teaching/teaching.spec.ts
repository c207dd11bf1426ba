import {
  ATTENDANCE_SLOT_SECONDS,
  attendanceSlot,
  expectsIntern,
  judgeTeachingAttendance,
  mandatorySessionState,
  MandatorySession,
  scanRefusal,
  scanRefusalMessage,
  teachingSessionErrors,
} from './teaching';

const valid = {
  title: 'Séminaire UPM : la relation médecin-patient',
  kind: 'seminaire_upm',
  startsAt: '2027-01-14T13:30:00Z',
  endsAt: '2027-01-14T17:00:00Z',
  place: 'Faculté de médecine, amphithéâtre A',
  promotions: [2026],
  uppCodes: ['montpellier'],
  capacity: 40,
  mandatory: true,
  phase: 'socle',
  leadId: '00000000-0000-4000-8000-000000000001',
};

describe('a teaching session’s definition', () => {
  it('is valid with its title, kind, times, place, expected interns, seats, phase and lead', () => {
    expect(teachingSessionErrors(valid)).toEqual([]);
    expect(teachingSessionErrors({ ...valid, capacity: null, mandatory: false, phase: null, promotions: [], uppCodes: [] })).toEqual([]);
  });

  it('names each fault in French', () => {
    expect(teachingSessionErrors({ ...valid, title: ' ', kind: 'cours', endsAt: '2027-01-14T12:00:00Z', capacity: 0 })).toEqual([
      { path: 'title', message: 'texte requis' },
      { path: 'kind', message: 'type inconnu : seminaire_upm, enseignement_upp, semaine_assurance_maladie, atelier, gept, autre attendu' },
      { path: 'endsAt', message: 'la fin doit suivre le début' },
      { path: 'capacity', message: 'un nombre de places de 1 à 5000, ou rien pour une séance sans limite' },
    ]);
    expect(teachingSessionErrors({ ...valid, startsAt: '14/01/2027', phase: null })).toEqual([
      { path: 'startsAt', message: 'date et heure invalides : ISO 8601 avec fuseau attendu (2027-01-14T13:30:00Z)' },
      { path: 'phase', message: 'une séance obligatoire compte pour une phase' },
    ]);
  });

  it('expects the interns of its promotions and UPP, everyone when a list is empty', () => {
    const session = { promotions: [2026], uppIds: ['u1'] };
    expect(expectsIntern(session, { promotion: 2026, uppId: 'u1' })).toBe(true);
    expect(expectsIntern(session, { promotion: 2025, uppId: 'u1' })).toBe(false);
    expect(expectsIntern(session, { promotion: 2026, uppId: 'u2' })).toBe(false);
    expect(expectsIntern({ promotions: [], uppIds: [] }, { promotion: null, uppId: null })).toBe(true);
  });
});

describe('a scan of the code shown in the room', () => {
  const session = { id: 's1', title: 'Séminaire UPM', startsAt: new Date('2027-01-14T13:30:00Z'), endsAt: new Date('2027-01-14T17:00:00Z') };
  const now = new Date('2027-01-14T14:00:10Z');
  const fresh = attendanceSlot(now);
  const scan = (over: Partial<Parameters<typeof scanRefusal>[0]> = {}) => scanRefusal({ session, codeSlot: fresh, now, registered: true, attendance: null, ...over });

  it('is taken during the session, with the code of the current or the previous slot', () => {
    expect(scan()).toBeNull();
    expect(scan({ codeSlot: fresh - 1 })).toBeNull();
    expect(scan({ now: new Date('2027-01-14T13:20:00Z'), codeSlot: attendanceSlot(new Date('2027-01-14T13:20:00Z')) })).toBeNull();
  });

  it('refuses an older code, a code from the future, and any scan outside the window', () => {
    expect(scan({ codeSlot: fresh - 2 })).toBe('expired');
    expect(scan({ codeSlot: fresh + 1 })).toBe('expired');
    const after = new Date('2027-01-14T17:00:01Z');
    expect(scan({ now: after, codeSlot: attendanceSlot(after) })).toBe('outside_window');
    const before = new Date('2027-01-14T13:14:00Z');
    expect(scan({ now: before, codeSlot: attendanceSlot(before) })).toBe('outside_window');
    // A code minted during an earlier session of the same id cannot be kept for later.
    expect(scan({ codeSlot: attendanceSlot(new Date('2027-01-13T14:00:00Z')) })).toBe('outside_window');
  });

  it('refuses another session’s code, an intern not registered, and a replay', () => {
    expect(scan({ expectedSessionId: 's2' })).toBe('other_session');
    expect(scan({ registered: false })).toBe('not_registered');
    expect(scan({ attendance: { status: 'present', via: 'code' } })).toBe('replay');
    expect(scan({ attendance: { status: 'present', via: 'list' } })).toBe('already_marked');
    expect(scan({ attendance: { status: 'absent', via: 'list' } })).toBeNull();
    // The same code scanned again a minute later is still a replay, not an expired code.
    expect(scan({ codeSlot: fresh - 3, attendance: { status: 'present', via: 'code' } })).toBe('replay');
  });

  it('says why in French, naming the session and its time in Paris', () => {
    expect(scanRefusalMessage('outside_window', session)).toBe(
      'Ce code n’est valable que pendant la séance « Séminaire UPM », jeudi 14 janvier 2027 de 14 h 30 à 18 h 00 : votre présence n’est pas enregistrée.',
    );
    expect(scanRefusalMessage('other_session', session, 'Atelier ECG')).toBe('Ce code est celui d’une autre séance (« Séminaire UPM »), pas de « Atelier ECG » : scannez le code affiché dans votre salle.');
    expect(scanRefusalMessage('replay', session)).toBe('Ce code a déjà servi : votre présence à « Séminaire UPM » est enregistrée, inutile de scanner à nouveau.');
    expect(scanRefusalMessage('expired', session)).toContain(`toutes les ${ATTENDANCE_SLOT_SECONDS} secondes`);
  });
});

describe('attendance of the phase’s mandatory sessions', () => {
  const at = (day: string): Pick<MandatorySession, 'startsAt' | 'endsAt'> => ({ startsAt: new Date(`${day}T13:30:00Z`), endsAt: new Date(`${day}T17:00:00Z`) });
  const sessions: MandatorySession[] = [
    { id: 'a', title: 'Séminaire A', kind: 'seminaire_upm', ...at('2026-12-03'), attendance: 'present' },
    { id: 'b', title: 'Séminaire B', kind: 'seminaire_upm', ...at('2027-01-14'), attendance: null },
    { id: 'c', title: 'Séminaire C', kind: 'seminaire_upm', ...at('2026-12-10'), attendance: 'absent' },
    { id: 'd', title: 'Semaine CPAM', kind: 'semaine_assurance_maladie', ...at('2027-02-01'), attendance: null },
    { id: 'e', title: 'Séminaire E', kind: 'seminaire_upm', ...at('2027-02-04'), attendance: 'excused' },
    { id: 'f', title: 'Séminaire F', kind: 'seminaire_upm', ...at('2027-06-10'), attendance: null },
  ];

  it('lists the missed ones by kind, in words, leaving out excused absences and sessions to come', () => {
    const judged = judgeTeachingAttendance(sessions, new Date('2027-03-01T00:00:00Z'));
    expect(judged).toMatchObject({ held: 5, attended: 1, excused: 1, upcoming: 1 });
    expect(judged.missed.map((m) => m.id)).toEqual(['c', 'b', 'd']);
    expect(judged.gaps).toEqual([
      '2 séminaires UPM obligatoires manqués : Séminaire C (10/12/2026), Séminaire B (14/01/2027)',
      '1 semaine Assurance Maladie obligatoire manquée : Semaine CPAM (01/02/2027)',
    ]);
  });

  it('says where each session stands, as the judgement counts it', () => {
    const states = sessions.map((s) => mandatorySessionState(s, new Date('2027-03-01T00:00:00Z')));
    expect(states).toEqual(['attended', 'missed', 'missed', 'missed', 'excused', 'upcoming']);
  });

  it('has no gap when every held session was attended or excused', () => {
    expect(judgeTeachingAttendance(sessions.slice(0, 1), new Date('2027-03-01T00:00:00Z')).gaps).toEqual([]);
    expect(judgeTeachingAttendance([], new Date()).held).toBe(0);
  });
});
