import { DomainError, ErrorCode, FieldError } from '../errors';

/**
 * Tutor meetings: each is co-signed by the intern and the tutor of one tutorship. The one who
 * records it confirms it at once; the other confirms in turn. Until both have, either may edit
 * it, and an edit withdraws the other's confirmation (they confirmed another text); once both
 * have, it is immutable.
 */
export type MeetingParty = 'intern' | 'tutor';

export interface MeetingConfirmations {
  internConfirmedAt: Date | null;
  tutorConfirmedAt: Date | null;
}

/** The meeting's texts are bounded like a trace's comment: room for a real account, not a dump. */
export const MEETING_TEXT_MAX = 10_000;

export type MeetingState = 'awaiting_intern' | 'awaiting_tutor' | 'co_signed';

export function meetingState(meeting: MeetingConfirmations): MeetingState {
  if (meeting.internConfirmedAt && meeting.tutorConfirmedAt) return 'co_signed';
  return meeting.internConfirmedAt ? 'awaiting_tutor' : 'awaiting_intern';
}

export const isCoSigned = (meeting: MeetingConfirmations) => meetingState(meeting) === 'co_signed';

/**
 * The party a user is to a tutorship's meetings, or null (read-only at most). Meetings are
 * written while the tutorship runs: once it has ended, the former tutor can no longer confirm,
 * so neither side edits what the other could not answer.
 */
export function meetingPartyOf(userId: string, tutorship: { internId: string; tutorId: string; endedAt: Date | null }): MeetingParty | null {
  if (tutorship.endedAt !== null) return null;
  if (userId === tutorship.internId) return 'intern';
  if (userId === tutorship.tutorId) return 'tutor';
  return null;
}

/** The confirmations of a meeting just recorded by `party`: theirs, at once. */
export function confirmationsOnCreate(party: MeetingParty, now: Date): MeetingConfirmations {
  return { internConfirmedAt: party === 'intern' ? now : null, tutorConfirmedAt: party === 'tutor' ? now : null };
}

const coSignedConflict = () => new DomainError(ErrorCode.Conflict, 'Cette rencontre est cosignée par l’interne et le tuteur : elle ne peut plus être modifiée.');

/** The confirmations after `party` edits the meeting: theirs renewed, the other's withdrawn. */
export function confirmationsOnEdit(meeting: MeetingConfirmations, party: MeetingParty, now: Date): MeetingConfirmations {
  if (isCoSigned(meeting)) throw coSignedConflict();
  return confirmationsOnCreate(party, now);
}

/** The confirmations after `party` confirms: 409 if co-signed already or confirmed by them already. */
export function confirmationsOnConfirm(meeting: MeetingConfirmations, party: MeetingParty, now: Date): MeetingConfirmations {
  if (isCoSigned(meeting)) throw new DomainError(ErrorCode.Conflict, 'Cette rencontre est déjà cosignée.');
  const mine = party === 'intern' ? meeting.internConfirmedAt : meeting.tutorConfirmedAt;
  if (mine) throw new DomainError(ErrorCode.Conflict, 'Vous avez déjà confirmé cette rencontre : l’autre partie doit la confirmer à son tour.');
  return party === 'intern' ? { ...meeting, internConfirmedAt: now } : { ...meeting, tutorConfirmedAt: now };
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day's text in Paris (the meetings' calendar), YYYY-MM-DD. */
export function parisDay(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The field errors of a meeting's input (empty when valid): a real past or present day, texts in bounds. */
export function meetingInputErrors(input: { heldOn?: unknown; discussed?: unknown; nextObjectives?: unknown }, now: Date, partial = false): FieldError[] {
  const errors: FieldError[] = [];
  if (input.heldOn !== undefined || !partial) {
    const match = typeof input.heldOn === 'string' ? DAY.exec(input.heldOn) : null;
    const real = match && new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])).toISOString().slice(0, 10) === input.heldOn;
    if (!real) errors.push({ path: 'heldOn', message: 'date invalide : une date AAAA-MM-JJ est attendue' });
    else if ((input.heldOn as string) > parisDay(now)) errors.push({ path: 'heldOn', message: 'la rencontre ne peut pas être datée dans le futur' });
  }
  for (const [path, label] of [['discussed', 'ce qui a été discuté'], ['nextObjectives', 'les prochains objectifs']] as const) {
    const value = input[path];
    if (value === undefined && partial) continue;
    if (typeof value !== 'string' || value.trim() === '') errors.push({ path, message: `${label} : texte requis` });
    else if (value.length > MEETING_TEXT_MAX) errors.push({ path, message: `${label} : 10 000 caractères au plus` });
  }
  return errors;
}

/** Throws the 422 of a meeting's invalid input. */
export function assertMeetingInput(input: { heldOn?: unknown; discussed?: unknown; nextObjectives?: unknown }, now: Date, partial = false): void {
  const errors = meetingInputErrors(input, now, partial);
  if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'La rencontre de tutorat est invalide.', errors);
}

/** The day a year before `day` (YYYY-MM-DD); a 29 February falls back to the 28th. */
export function yearBefore(day: string): string {
  const [y, m, d] = day.split('-');
  return `${+y - 1}-${m}-${m === '02' && d === '29' ? '28' : d}`;
}

/** The co-signed meetings, in all and held in the last 12 months (after the same day a year ago, Paris). */
export function meetingCounts(meetings: readonly (MeetingConfirmations & { heldOn: string })[], now: Date): { coSigned: number; last12Months: number } {
  const since = yearBefore(parisDay(now));
  const coSigned = meetings.filter(isCoSigned);
  return { coSigned: coSigned.length, last12Months: coSigned.filter((m) => m.heldOn > since).length };
}
