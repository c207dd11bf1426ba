import { DomainError, ErrorCode } from '../errors';
import { confirmationsOnConfirm, meetingCounts, yearBefore, confirmationsOnCreate, confirmationsOnEdit, meetingInputErrors, meetingPartyOf, meetingState } from './meetings';

const earlier = new Date('2026-11-02T09:00:00Z');
const now = new Date('2026-12-03T10:00:00Z');

function conflict(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('tutor meetings', () => {
  it('are confirmed by their creator at once and co-signed when the other party confirms', () => {
    const created = confirmationsOnCreate('tutor', earlier);
    expect(created).toEqual({ internConfirmedAt: null, tutorConfirmedAt: earlier });
    expect(meetingState(created)).toBe('awaiting_intern');
    const confirmed = confirmationsOnConfirm(created, 'intern', now);
    expect(confirmed).toEqual({ internConfirmedAt: now, tutorConfirmedAt: earlier });
    expect(meetingState(confirmed)).toBe('co_signed');
  });

  it('refuse a second confirmation by the same party, and any once co-signed', () => {
    const created = confirmationsOnCreate('intern', earlier);
    expect(meetingState(created)).toBe('awaiting_tutor');
    expect(conflict(() => confirmationsOnConfirm(created, 'intern', now)).code).toBe(ErrorCode.Conflict);
    const coSigned = confirmationsOnConfirm(created, 'tutor', now);
    expect(conflict(() => confirmationsOnConfirm(coSigned, 'tutor', now)).message).toBe('Cette rencontre est déjà cosignée.');
  });

  it('withdraw the other party’s confirmation on an edit, and are immutable once co-signed', () => {
    const created = confirmationsOnCreate('tutor', earlier);
    // The intern corrects the tutor's account: the tutor must confirm the new text.
    expect(confirmationsOnEdit(created, 'intern', now)).toEqual({ internConfirmedAt: now, tutorConfirmedAt: null });
    const coSigned = confirmationsOnConfirm(created, 'intern', now);
    expect(conflict(() => confirmationsOnEdit(coSigned, 'tutor', now)).code).toBe(ErrorCode.Conflict);
  });

  it('are written by the intern and the tutor while their tutorship runs', () => {
    const tutorship = { internId: 'i', tutorId: 't', endedAt: null };
    expect(meetingPartyOf('i', tutorship)).toBe('intern');
    expect(meetingPartyOf('t', tutorship)).toBe('tutor');
    expect(meetingPartyOf('t', { ...tutorship, endedAt: earlier })).toBeNull();
    expect(meetingPartyOf('i', { ...tutorship, endedAt: earlier })).toBeNull();
    expect(meetingPartyOf('x', tutorship)).toBeNull();
  });

  it('take a real day, not in the future (in Paris), and bounded texts', () => {
    const valid = { heldOn: '2026-12-03', discussed: 'Les RSCA.', nextObjectives: 'Un RSCA en janvier.' };
    expect(meetingInputErrors(valid, now)).toEqual([]);
    // 23:30 UTC on the 3rd is already the 4th in Paris.
    expect(meetingInputErrors({ ...valid, heldOn: '2026-12-04' }, new Date('2026-12-03T23:30:00Z'))).toEqual([]);
    expect(meetingInputErrors({ ...valid, heldOn: '2026-12-04' }, now)).toEqual([{ path: 'heldOn', message: 'la rencontre ne peut pas être datée dans le futur' }]);
    expect(meetingInputErrors({ ...valid, heldOn: '2026-02-30' }, now).map((e) => e.path)).toEqual(['heldOn']);
    expect(meetingInputErrors({ ...valid, heldOn: '03/12/2026' }, now).map((e) => e.path)).toEqual(['heldOn']);
    expect(meetingInputErrors({ ...valid, discussed: 'x'.repeat(10_001), nextObjectives: ' ' }, now)).toEqual([
      { path: 'discussed', message: 'ce qui a été discuté : 10 000 caractères au plus' },
      { path: 'nextObjectives', message: 'les prochains objectifs : texte requis' },
    ]);
    // An edit names only what changes.
    expect(meetingInputErrors({ discussed: 'Autre chose.' }, now, true)).toEqual([]);
  });

  it('are counted when co-signed, in the last 12 months for the yearly requirement', () => {
    const coSigned = { internConfirmedAt: earlier, tutorConfirmedAt: earlier };
    const meetings = [
      { heldOn: '2026-11-20', ...coSigned },
      { heldOn: '2025-12-04', ...coSigned },
      { heldOn: '2025-12-03', ...coSigned },
      { heldOn: '2026-12-01', internConfirmedAt: earlier, tutorConfirmedAt: null },
    ];
    expect(meetingCounts(meetings, now)).toEqual({ coSigned: 3, last12Months: 2 });
    expect(yearBefore('2028-02-29')).toBe('2027-02-28');
  });
});
