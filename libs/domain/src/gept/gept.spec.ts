import { DomainError, ErrorCode } from '../errors';
import { assertTraceLinkable, attendanceTally, geptGroupErrors, geptMeetingErrors } from './gept';

const interns = (n: number) => Array.from({ length: n }, (_, i) => `i${i}`);

describe('GEPT groups', () => {
  it('gather six to ten interns, without their lead, for a year', () => {
    expect(geptGroupErrors({ title: 'GEPT Béziers A', year: 2026, leadId: 'lead', internIds: interns(6) })).toEqual([]);
    expect(geptGroupErrors({ title: 'GEPT', year: 2026, leadId: 'lead', internIds: interns(5) })).toEqual([{ path: 'internIds', message: 'un groupe réunit de 6 à 10 internes' }]);
    expect(geptGroupErrors({ title: 'GEPT', year: 2026, leadId: 'lead', internIds: interns(11) })).toEqual([{ path: 'internIds', message: 'un groupe réunit de 6 à 10 internes' }]);
    expect(geptGroupErrors({ title: '', year: 1999, leadId: 'i0', internIds: [...interns(6), 'i0'] })).toEqual([
      { path: 'title', message: 'texte requis' },
      { path: 'year', message: 'année invalide' },
      { path: 'internIds', message: 'interne en double' },
      { path: 'internIds', message: 'l’animateur ne peut pas être membre de son groupe' },
    ]);
  });

  it('meet on a real day, with their cases as short texts', () => {
    expect(geptMeetingErrors({ heldOn: '2026-12-01', cases: ['Douleur thoracique chez un homme de 50 ans'] })).toEqual([]);
    expect(geptMeetingErrors({ heldOn: '01/12/2026', cases: ['', 'x'.repeat(501)] })).toEqual([
      { path: 'heldOn', message: 'date invalide : une date AAAA-MM-JJ est attendue' },
      { path: 'cases.0', message: 'texte requis' },
      { path: 'cases.1', message: '500 caractères au plus' },
    ]);
    expect(geptMeetingErrors({ cases: ['Un cas'] }, true)).toEqual([]);
  });

  it('take an intern’s own gept trace, for a meeting of their group only', () => {
    const code = (f: () => void) => {
      try {
        f();
      } catch (error) {
        return (error as DomainError).code;
      }
      return null;
    };
    expect(code(() => assertTraceLinkable({ kind: 'gept', internId: 'a' }, 'a', true))).toBeNull();
    expect(code(() => assertTraceLinkable({ kind: 'gept', internId: 'b' }, 'a', true))).toBe(ErrorCode.Forbidden);
    expect(code(() => assertTraceLinkable({ kind: 'rsca', internId: 'a' }, 'a', true))).toBe(ErrorCode.InvalidInput);
    expect(code(() => assertTraceLinkable({ kind: 'gept', internId: 'a' }, 'a', false))).toBe(ErrorCode.InvalidInput);
  });

  it('count each member’s attendance over the meetings held so far', () => {
    const meetings = [
      { id: 'm1', heldOn: '2026-10-01' },
      { id: 'm2', heldOn: '2026-11-01' },
      { id: 'm3', heldOn: '2027-01-10' },
    ];
    const marks = [
      { meetingId: 'm1', internId: 'a', present: true },
      { meetingId: 'm2', internId: 'a', present: false },
      { meetingId: 'm1', internId: 'b', present: true },
      { meetingId: 'm3', internId: 'b', present: true },
    ];
    expect(attendanceTally(['a', 'b'], meetings, marks, '2026-12-03')).toEqual([
      { internId: 'a', present: 1, absent: 1, unmarked: 0 },
      { internId: 'b', present: 1, absent: 0, unmarked: 1 },
    ]);
  });
});
