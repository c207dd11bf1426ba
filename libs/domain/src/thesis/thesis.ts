import { DomainError, ErrorCode, FieldError } from '../errors';
import { parisDay } from '../tutorship/meetings';

/**
 * The thesis: a subject, a director and the steps the faculty defines, each with its dates. The
 * director is an MSU with an account, or another doctor known by name and address, who has no
 * account and comments through one-time links.
 */
export const DEFAULT_THESIS_STEPS: readonly string[] = ['Fiche de thèse déposée', 'Comité : validation du sujet', 'Soutenance'];

export const THESIS_SUBJECT_MAX = 500;
export const THESIS_STEP_LABEL_MAX = 200;
export const THESIS_STEP_NOTE_MAX = 2000;
export const THESIS_COMMENT_MAX = 10_000;
export const THESIS_STEPS_MAX = 12;
/** A director's link lasts a month: time to read the work, not a standing door. */
export const DIRECTOR_LINK_DAYS = 30;

/** An MSU's account is named by its id, or by its e-mail (an intern has no directory to pick from). */
export type ThesisDirectorInput = { kind: 'account'; userId?: string; email?: string } | { kind: 'external'; name: string; email: string };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A real calendar day written YYYY-MM-DD. */
export function isRealDay(value: unknown): value is string {
  const match = typeof value === 'string' ? DAY.exec(value) : null;
  return Boolean(match) && new Date(Date.UTC(+match![1], +match![2] - 1, +match![3])).toISOString().slice(0, 10) === value;
}

const text = (errors: FieldError[], path: string, value: unknown, label: string, max: number, required = true) => {
  if (typeof value !== 'string' || (required && value.trim() === '')) errors.push({ path, message: `${label} : texte requis` });
  else if (value.length > max) errors.push({ path, message: `${label} : ${max.toLocaleString('fr-FR')} caractères au plus` });
};

/** The field errors of a thesis's subject and director (empty when valid). */
export function thesisInputErrors(input: { subject?: unknown; director?: unknown }, partial = false): FieldError[] {
  const errors: FieldError[] = [];
  if (input.subject !== undefined || !partial) text(errors, 'subject', input.subject, 'le sujet', THESIS_SUBJECT_MAX);
  const director = input.director as Partial<{ kind: string; userId: unknown; name: unknown; email: unknown }> | null | undefined;
  if (director === undefined || director === null) return errors;
  if (director.kind === 'account') {
    if (typeof director.userId !== 'string' && typeof director.email !== 'string') errors.push({ path: 'director.userId', message: 'le directeur : compte requis' });
  } else if (director.kind === 'external') {
    text(errors, 'director.name', director.name, 'le nom du directeur', 200);
    if (typeof director.email !== 'string' || !EMAIL.test(director.email) || director.email.length > 320) errors.push({ path: 'director.email', message: 'adresse e-mail invalide' });
  } else {
    errors.push({ path: 'director.kind', message: 'account (un MSU inscrit) ou external (un autre médecin)' });
  }
  return errors;
}

export function assertThesisInput(input: { subject?: unknown; director?: unknown }, partial = false): void {
  const errors = thesisInputErrors(input, partial);
  if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'La thèse est invalide.', errors);
}

/** The field errors of a step's change: real days, a step not done in the future. */
export function stepInputErrors(input: { plannedOn?: unknown; doneOn?: unknown; note?: unknown }, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  for (const path of ['plannedOn', 'doneOn'] as const) {
    const value = input[path];
    if (value === undefined || value === null) continue;
    if (!isRealDay(value)) errors.push({ path, message: 'date invalide : une date AAAA-MM-JJ est attendue' });
    else if (path === 'doneOn' && value > parisDay(now)) errors.push({ path, message: 'une étape ne peut pas être franchie dans le futur' });
  }
  if (input.note !== undefined) text(errors, 'note', input.note, 'la note', THESIS_STEP_NOTE_MAX, false);
  return errors;
}

export function assertStepInput(input: { plannedOn?: unknown; doneOn?: unknown; note?: unknown }, now: Date): void {
  const errors = stepInputErrors(input, now);
  if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'L’étape de thèse est invalide.', errors);
}

/** The faculty's step labels, checked when an admin defines them. */
export function stepTemplateErrors(labels: unknown): FieldError[] {
  if (!Array.isArray(labels) || labels.length === 0) return [{ path: 'steps', message: 'au moins une étape' }];
  if (labels.length > THESIS_STEPS_MAX) return [{ path: 'steps', message: `${THESIS_STEPS_MAX} étapes au plus` }];
  const errors: FieldError[] = [];
  labels.forEach((label, i) => text(errors, `steps.${i}`, label, 'l’intitulé', THESIS_STEP_LABEL_MAX));
  const seen = new Set<string>();
  labels.forEach((label, i) => {
    const key = typeof label === 'string' ? label.trim().toLowerCase() : '';
    if (key && seen.has(key)) errors.push({ path: `steps.${i}`, message: 'intitulé en double' });
    seen.add(key);
  });
  return errors;
}

export type ThesisStepState = 'done' | 'stalled' | 'planned' | 'unplanned';

/** A step is stalled once its planned day has passed without it being done. */
export function thesisStepState(step: { plannedOn: string | null; doneOn: string | null }, now: Date): ThesisStepState {
  if (step.doneOn) return 'done';
  if (!step.plannedOn) return 'unplanned';
  return step.plannedOn < parisDay(now) ? 'stalled' : 'planned';
}

export const THESIS_STEP_STATE_LABELS: Record<ThesisStepState, string> = {
  done: 'Franchie',
  stalled: 'En retard',
  planned: 'Prévue',
  unplanned: 'À planifier',
};

export interface DirectorLinkTimes {
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * Throws unless the director's link may still be used: each refusal says what happened, since
 * only the one holding the link (found by its hash) ever reads it.
 */
export function assertDirectorLinkLive(link: DirectorLinkTimes, now: Date): void {
  if (link.usedAt) throw new DomainError(ErrorCode.InvalidToken, 'Ce lien a déjà servi : chaque lien ne permet qu’un commentaire. Demandez-en un nouveau à l’interne.');
  if (link.revokedAt) throw new DomainError(ErrorCode.InvalidToken, 'Ce lien a été révoqué : un lien plus récent a été envoyé, ou l’interne l’a retiré.');
  if (link.expiresAt.getTime() <= now.getTime()) throw new DomainError(ErrorCode.InvalidToken, 'Ce lien a expiré. Demandez-en un nouveau à l’interne.');
}

/** The field errors of a director's comment. */
export function thesisCommentErrors(body: unknown): FieldError[] {
  const errors: FieldError[] = [];
  text(errors, 'body', body, 'le commentaire', THESIS_COMMENT_MAX);
  return errors;
}

export function assertThesisComment(body: unknown): void {
  const errors = thesisCommentErrors(body);
  if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'Le commentaire est invalide.', errors);
}
