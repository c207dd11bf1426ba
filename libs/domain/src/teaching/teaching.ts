import { DomainError, ErrorCode, FieldError } from '../errors';
import type { PortfolioRelation } from '../portfolio/access-rule';
import { PHASES } from '../portfolio/phases';

/**
 * Teaching sessions of the maquette (UPM seminars, UPP teaching, the Assurance Maladie week,
 * workshops, GEPT…): published by the faculty, attended by the interns it expects, attendance
 * taken by the session's lead, from a list or by a rotating code shown in the room.
 */
export const TEACHING_KINDS = ['seminaire_upm', 'enseignement_upp', 'semaine_assurance_maladie', 'atelier', 'gept', 'autre'] as const;
export type TeachingKind = (typeof TEACHING_KINDS)[number];

/** Each kind in the singular and plural, with its gender, for the gaps « 2 séminaires UPM obligatoires manqués ». */
export const TEACHING_KIND_WORDS: Readonly<Record<TeachingKind, { one: string; many: string; feminine: boolean; label: string }>> = {
  seminaire_upm: { one: 'séminaire UPM', many: 'séminaires UPM', feminine: false, label: 'Séminaire UPM' },
  enseignement_upp: { one: 'enseignement UPP', many: 'enseignements UPP', feminine: false, label: 'Enseignement UPP' },
  semaine_assurance_maladie: { one: 'semaine Assurance Maladie', many: 'semaines Assurance Maladie', feminine: true, label: 'Semaine Assurance Maladie' },
  atelier: { one: 'atelier', many: 'ateliers', feminine: false, label: 'Atelier' },
  gept: { one: 'GEPT', many: 'GEPT', feminine: false, label: 'GEPT / AEP' },
  autre: { one: 'enseignement', many: 'enseignements', feminine: false, label: 'Autre enseignement' },
};

export const isTeachingKind = (value: unknown): value is TeachingKind => typeof value === 'string' && (TEACHING_KINDS as readonly string[]).includes(value);

/** How long a displayed code is good for, and how many earlier slots a scan still accepts (the phone's camera and network take time). */
export const ATTENDANCE_SLOT_SECONDS = 30;
export const ATTENDANCE_SLOTS_ACCEPTED = 2;
/** Interns arrive before the start: the code is shown and accepted from this long before it. */
export const ATTENDANCE_OPENS_BEFORE_MINUTES = 15;

export interface TeachingSessionInput {
  title?: unknown;
  kind?: unknown;
  startsAt?: unknown;
  endsAt?: unknown;
  place?: unknown;
  promotions?: unknown;
  uppCodes?: unknown;
  capacity?: unknown;
  mandatory?: unknown;
  phase?: unknown;
  leadId?: unknown;
}

const isInstant = (value: unknown): value is string => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));

/** The field errors of a session's definition (empty when valid). */
export function teachingSessionErrors(input: TeachingSessionInput): FieldError[] {
  const errors: FieldError[] = [];
  const text = (path: 'title' | 'place', max: number) => {
    const value = input[path];
    if (typeof value !== 'string' || value.trim() === '') errors.push({ path, message: 'texte requis' });
    else if (value.length > max) errors.push({ path, message: `${max} caractères au plus` });
  };
  text('title', 200);
  if (!isTeachingKind(input.kind)) errors.push({ path: 'kind', message: `type inconnu : ${TEACHING_KINDS.join(', ')} attendu` });
  if (!isInstant(input.startsAt)) errors.push({ path: 'startsAt', message: 'date et heure invalides : ISO 8601 avec fuseau attendu (2027-01-14T13:30:00Z)' });
  if (!isInstant(input.endsAt)) errors.push({ path: 'endsAt', message: 'date et heure invalides : ISO 8601 avec fuseau attendu (2027-01-14T17:00:00Z)' });
  else if (isInstant(input.startsAt)) {
    const length = Date.parse(input.endsAt) - Date.parse(input.startsAt);
    if (length <= 0) errors.push({ path: 'endsAt', message: 'la fin doit suivre le début' });
    // The Assurance Maladie week is the longest session of the maquette.
    else if (length > 8 * 86_400_000) errors.push({ path: 'endsAt', message: 'une séance dure 8 jours au plus' });
  }
  text('place', 300);
  if (!Array.isArray(input.promotions) || input.promotions.some((p) => !Number.isInteger(p) || p < 2000 || p > 2100)) errors.push({ path: 'promotions', message: 'une liste d’années de promotion est attendue' });
  if (!Array.isArray(input.uppCodes) || input.uppCodes.some((c) => typeof c !== 'string' || c.trim() === '')) errors.push({ path: 'uppCodes', message: 'une liste de codes d’UPP est attendue' });
  if (input.capacity !== null && input.capacity !== undefined && (!Number.isInteger(input.capacity) || (input.capacity as number) < 1 || (input.capacity as number) > 5000)) {
    errors.push({ path: 'capacity', message: 'un nombre de places de 1 à 5000, ou rien pour une séance sans limite' });
  }
  if (typeof input.mandatory !== 'boolean') errors.push({ path: 'mandatory', message: 'oui ou non attendu' });
  if (input.phase !== null && input.phase !== undefined && !(PHASES as readonly unknown[]).includes(input.phase)) errors.push({ path: 'phase', message: `phase inconnue : ${PHASES.join(', ')} attendue` });
  if (input.mandatory === true && (input.phase === null || input.phase === undefined)) errors.push({ path: 'phase', message: 'une séance obligatoire compte pour une phase' });
  if (typeof input.leadId !== 'string') errors.push({ path: 'leadId', message: 'le responsable de la séance est requis' });
  return errors;
}

export function assertTeachingSession(input: TeachingSessionInput): void {
  const errors = teachingSessionErrors(input);
  if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'La séance est invalide.', errors);
}

/** Whether a session expects an intern: an empty list of promotions (or UPP) expects them all. */
export function expectsIntern(session: { promotions: number[]; uppIds: string[] }, intern: { promotion: number | null; uppId: string | null }): boolean {
  const promotionFits = session.promotions.length === 0 || (intern.promotion !== null && session.promotions.includes(intern.promotion));
  const uppFits = session.uppIds.length === 0 || (intern.uppId !== null && session.uppIds.includes(intern.uppId));
  return promotionFits && uppFits;
}

const PARIS = 'Europe/Paris';
const dayFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const shortDay = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: PARIS, hour: '2-digit', minute: '2-digit' });
const hour = (at: Date) => timeFormat.format(at).replace(':', ' h ');

/** « jeudi 14 janvier 2027 de 14 h 30 à 17 h 00 » (Paris time), or across days for a week. */
export function sessionWhen(startsAt: Date, endsAt: Date): string {
  const start = dayFormat.format(startsAt);
  const end = dayFormat.format(endsAt);
  return start === end ? `${start} de ${hour(startsAt)} à ${hour(endsAt)}` : `du ${start} ${hour(startsAt)} au ${end} ${hour(endsAt)}`;
}

/** The instants between which attendance is taken by code. */
export function attendanceWindow(session: { startsAt: Date; endsAt: Date }): { opensAt: Date; closesAt: Date } {
  return { opensAt: new Date(session.startsAt.getTime() - ATTENDANCE_OPENS_BEFORE_MINUTES * 60_000), closesAt: session.endsAt };
}

/** The time slot a code is minted in. */
export const attendanceSlot = (now: Date): number => Math.floor(now.getTime() / (ATTENDANCE_SLOT_SECONDS * 1000));

export type ScanRefusal = 'outside_window' | 'expired' | 'other_session' | 'not_registered' | 'replay' | 'already_marked';

/**
 * Whether a scan by an intern is taken, given a code already proven genuine (its signature checked
 * by the caller): the session's window, the code's age, the session the intern came for, their
 * registration and their attendance so far. Null when taken, else why not.
 */
export function scanRefusal(input: {
  session: { id: string; startsAt: Date; endsAt: Date };
  codeSlot: number;
  now: Date;
  /** The session the intern's page was opened for, when it names one. */
  expectedSessionId?: string | null;
  registered: boolean;
  attendance: { status: 'present' | 'absent' | 'excused'; via: 'list' | 'code' } | null;
}): ScanRefusal | null {
  if (input.expectedSessionId && input.expectedSessionId !== input.session.id) return 'other_session';
  const { opensAt, closesAt } = attendanceWindow(input.session);
  const slotStart = input.codeSlot * ATTENDANCE_SLOT_SECONDS * 1000;
  if (input.now < opensAt || input.now > closesAt || slotStart > closesAt.getTime() || slotStart + ATTENDANCE_SLOT_SECONDS * 1000 < opensAt.getTime()) return 'outside_window';
  // Already present: said as such, however old the code, rather than as an expired one.
  if (input.attendance?.status === 'present') return input.attendance.via === 'code' ? 'replay' : 'already_marked';
  const current = attendanceSlot(input.now);
  if (input.codeSlot > current || current - input.codeSlot >= ATTENDANCE_SLOTS_ACCEPTED) return 'expired';
  if (!input.registered) return 'not_registered';
  return null;
}

/** The French words of a refusal, naming the session so the intern knows which code they scanned. */
export function scanRefusalMessage(refusal: ScanRefusal, session: { title: string; startsAt: Date; endsAt: Date }, expectedTitle?: string): string {
  const named = `« ${session.title} »`;
  switch (refusal) {
    case 'other_session':
      return `Ce code est celui d’une autre séance (${named}${expectedTitle ? `), pas de « ${expectedTitle} »` : ')'} : scannez le code affiché dans votre salle.`;
    case 'outside_window':
      return `Ce code n’est valable que pendant la séance ${named}, ${sessionWhen(session.startsAt, session.endsAt)} : votre présence n’est pas enregistrée.`;
    case 'expired':
      return 'Ce code a expiré (il change toutes les 30 secondes) : scannez celui qui est affiché maintenant.';
    case 'not_registered':
      return `Vous n’êtes pas inscrit(e) à la séance ${named} : demandez à son responsable de vous cocher sur la liste.`;
    case 'replay':
      return `Ce code a déjà servi : votre présence à ${named} est enregistrée, inutile de scanner à nouveau.`;
    case 'already_marked':
      return `Votre présence à ${named} est déjà cochée par le responsable de la séance.`;
  }
}

export const ABSENCE_REASON_MAX = 1000;

/** The field errors of a justified absence's reason. */
export function absenceReasonErrors(reason: unknown): FieldError[] {
  if (typeof reason !== 'string' || reason.trim() === '') return [{ path: 'reason', message: 'le motif de l’absence est requis' }];
  if (reason.length > ABSENCE_REASON_MAX) return [{ path: 'reason', message: `${ABSENCE_REASON_MAX} caractères au plus` }];
  return [];
}

/**
 * Whether a reader of an intern's portfolio may read why they were absent (the reason and its
 * document): the intern and the DUMG, who judges the justification. A reason may be a health
 * matter; a tutor or a jury reads that the absence was justified, not why. (A session's lead reads
 * it on the session's roll, which they keep.)
 */
export const readsAbsenceReasons = (relation: PortfolioRelation): boolean => relation === 'self' || relation === 'admin';

/** A mandatory session an intern was expected at, as progress judges it. */
export interface MandatorySession {
  id: string;
  title: string;
  kind: TeachingKind;
  startsAt: Date;
  endsAt: Date;
  attendance: 'present' | 'absent' | 'excused' | null;
}

export interface TeachingAttendanceJudgement {
  /** Mandatory sessions of the phase already over. */
  held: number;
  attended: number;
  excused: number;
  missed: { id: string; title: string; kind: TeachingKind; startsAt: string }[];
  /** Still to come in the phase. */
  upcoming: number;
  /** In words, one line per kind: « 2 séminaires UPM obligatoires manqués : A (14/01/2027), B (…) ». */
  gaps: string[];
}

/**
 * Attendance of the phase's mandatory sessions: a session over (its end passed) and neither
 * attended nor excused is missed; an excused absence (a reason given) is not a gap; a session
 * still to come counts as upcoming, not missed.
 */
export function judgeTeachingAttendance(sessions: readonly MandatorySession[], now: Date): TeachingAttendanceJudgement {
  const held = sessions.filter((s) => s.endsAt <= now);
  const missed = held.filter((s) => s.attendance !== 'present' && s.attendance !== 'excused').sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const gaps: string[] = [];
  for (const kind of TEACHING_KINDS) {
    const ofKind = missed.filter((s) => s.kind === kind);
    if (!ofKind.length) continue;
    const words = TEACHING_KIND_WORDS[kind];
    const plural = ofKind.length > 1;
    const agreement = `${words.feminine ? 'e' : ''}${plural ? 's' : ''}`;
    const list = ofKind.map((s) => `${s.title} (${shortDay.format(s.startsAt)})`).join(', ');
    gaps.push(`${ofKind.length} ${plural ? words.many : words.one} obligatoire${plural ? 's' : ''} manqué${agreement} : ${list}`);
  }
  return {
    held: held.length,
    attended: held.filter((s) => s.attendance === 'present').length,
    excused: held.filter((s) => s.attendance === 'excused').length,
    missed: missed.map((s) => ({ id: s.id, title: s.title, kind: s.kind, startsAt: s.startsAt.toISOString() })),
    upcoming: sessions.length - held.length,
    gaps,
  };
}

/** Where one mandatory session stands for an intern: the same judgement as `judgeTeachingAttendance`, per session. */
export type MandatorySessionState = 'attended' | 'excused' | 'missed' | 'upcoming';

export function mandatorySessionState(session: Pick<MandatorySession, 'endsAt' | 'attendance'>, now: Date): MandatorySessionState {
  if (session.endsAt > now) return 'upcoming';
  if (session.attendance === 'present') return 'attended';
  return session.attendance === 'excused' ? 'excused' : 'missed';
}

export const MANDATORY_SESSION_STATE_LABELS: Readonly<Record<MandatorySessionState, string>> = {
  attended: 'Présent(e)',
  excused: 'Absence justifiée',
  missed: 'Manquée',
  upcoming: 'À venir',
};

/** The columns of the attendance exports, in French for the faculty's spreadsheet. */
export const ATTENDANCE_STATUS_LABELS: Readonly<Record<'present' | 'absent' | 'excused' | 'unmarked', string>> = {
  present: 'Présent(e)',
  absent: 'Absent(e)',
  excused: 'Absence justifiée',
  unmarked: 'Non relevé',
};

/** How a presence was taken, in the attendance exports and on the roll. */
export const ATTENDANCE_VIA_LABELS: Readonly<Record<'list' | 'code' | 'intern', string>> = {
  list: 'liste',
  code: 'QR code',
  intern: 'par l’interne',
};
