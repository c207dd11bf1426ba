import { DomainError, ErrorCode, FieldError } from '../errors';
import { isRealDay } from '../thesis/thesis';

/**
 * GEPT groups (groupes d'échange de pratiques tutorés): an MSU leads six to ten interns for a
 * year; the group meets, each meeting discusses its cases, the lead ticks who was there, and each
 * intern writes up the meeting as a `gept` trace linked to it.
 */
export const GEPT_GROUP_MIN = 6;
export const GEPT_GROUP_MAX = 10;
export const GEPT_CASES_MAX = 20;
export const GEPT_CASE_MAX = 500;

/** The field errors of a group's definition (empty when valid). */
export function geptGroupErrors(input: { title?: unknown; year?: unknown; leadId?: unknown; internIds?: unknown }): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof input.title !== 'string' || input.title.trim() === '') errors.push({ path: 'title', message: 'texte requis' });
  else if (input.title.length > 200) errors.push({ path: 'title', message: '200 caractères au plus' });
  if (!Number.isInteger(input.year) || (input.year as number) < 2000 || (input.year as number) > 2100) errors.push({ path: 'year', message: 'année invalide' });
  if (!Array.isArray(input.internIds)) errors.push({ path: 'internIds', message: 'doit être une liste' });
  else {
    const distinct = new Set(input.internIds);
    if (distinct.size !== input.internIds.length) errors.push({ path: 'internIds', message: 'interne en double' });
    else if (distinct.size < GEPT_GROUP_MIN || distinct.size > GEPT_GROUP_MAX) errors.push({ path: 'internIds', message: `un groupe réunit de ${GEPT_GROUP_MIN} à ${GEPT_GROUP_MAX} internes` });
    if (typeof input.leadId === 'string' && distinct.has(input.leadId)) errors.push({ path: 'internIds', message: 'l’animateur ne peut pas être membre de son groupe' });
  }
  return errors;
}

export function assertGeptGroup(input: Parameters<typeof geptGroupErrors>[0]): void {
  const errors = geptGroupErrors(input);
  if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'Le groupe GEPT est invalide.', errors);
}

/** The field errors of a meeting: a real day (a meeting may be planned ahead) and its cases, short texts. */
export function geptMeetingErrors(input: { heldOn?: unknown; cases?: unknown }, partial = false): FieldError[] {
  const errors: FieldError[] = [];
  if ((input.heldOn !== undefined || !partial) && !isRealDay(input.heldOn)) errors.push({ path: 'heldOn', message: 'date invalide : une date AAAA-MM-JJ est attendue' });
  if (input.cases !== undefined || !partial) {
    if (!Array.isArray(input.cases)) errors.push({ path: 'cases', message: 'doit être une liste' });
    else {
      if (input.cases.length > GEPT_CASES_MAX) errors.push({ path: 'cases', message: `${GEPT_CASES_MAX} cas au plus` });
      input.cases.forEach((c, i) => {
        if (typeof c !== 'string' || c.trim() === '') errors.push({ path: `cases.${i}`, message: 'texte requis' });
        else if (c.length > GEPT_CASE_MAX) errors.push({ path: `cases.${i}`, message: `${GEPT_CASE_MAX} caractères au plus` });
      });
    }
  }
  return errors;
}

export function assertGeptMeeting(input: { heldOn?: unknown; cases?: unknown }, partial = false): void {
  const errors = geptMeetingErrors(input, partial);
  if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'La séance GEPT est invalide.', errors);
}

/**
 * Whether an intern may link their trace to a meeting: a `gept` trace of theirs, and a meeting
 * of a group they belong to. Throws the refusal otherwise.
 */
export function assertTraceLinkable(trace: { kind: string; internId: string }, internId: string, memberOfMeetingGroup: boolean): void {
  if (trace.internId !== internId) throw new DomainError(ErrorCode.Forbidden, 'Seul l’auteur de la trace la rattache à une séance GEPT.');
  if (trace.kind !== 'gept') {
    throw new DomainError(ErrorCode.InvalidInput, 'Seul un compte rendu de GEPT se rattache à une séance.', [{ path: 'traceId', message: 'trace de type gept attendue' }]);
  }
  if (!memberOfMeetingGroup) throw new DomainError(ErrorCode.InvalidInput, 'Cette séance n’est pas celle d’un de vos groupes GEPT.', [{ path: 'meetingId', message: 'séance d’un autre groupe' }]);
}

export interface AttendanceTally {
  internId: string;
  present: number;
  absent: number;
  unmarked: number;
}

/** Per member, the meetings held so far they attended, missed, or that were not ticked for them. */
export function attendanceTally(
  internIds: readonly string[],
  meetings: readonly { id: string; heldOn: string }[],
  marks: readonly { meetingId: string; internId: string; present: boolean }[],
  today: string,
): AttendanceTally[] {
  const held = meetings.filter((m) => m.heldOn <= today).map((m) => m.id);
  const byKey = new Map(marks.map((m) => [`${m.meetingId}:${m.internId}`, m.present]));
  return internIds.map((internId) => {
    const tally: AttendanceTally = { internId, present: 0, absent: 0, unmarked: 0 };
    for (const meetingId of held) {
      const mark = byKey.get(`${meetingId}:${internId}`);
      if (mark === undefined) tally.unmarked++;
      else if (mark) tally.present++;
      else tally.absent++;
    }
    return tally;
  });
}
