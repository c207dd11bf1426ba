import { DomainError, ErrorCode } from '../errors';
import { TraceStatus } from './referential';

/**
 * The life of a trace: draft → submitted → (changes_requested → submitted)* → validated.
 * One function per transition; each says who may do it and from which state, and returns the
 * next state. Nothing else changes a status.
 */
export interface TraceState {
  status: TraceStatus;
  internId: string;
}

export interface Reviewer {
  userId: string;
  /** Is the caller the owner's active tutor right now? */
  isActiveTutor: boolean;
}

const conflict = (message: string) => new DomainError(ErrorCode.TraceStateConflict, message);

/** The statuses in which the owner edits a trace (an autosave's UPDATE filters on them too). */
export const EDITABLE_STATUSES: readonly TraceStatus[] = ['draft', 'changes_requested'];

export function assertEditable(trace: TraceState, userId: string): void {
  if (trace.internId !== userId) throw new DomainError(ErrorCode.NotFound, 'Trace introuvable.');
  if (EDITABLE_STATUSES.includes(trace.status)) return;
  if (trace.status === 'validated') throw new DomainError(ErrorCode.TraceLocked, 'Cette trace est validée : elle ne peut plus être modifiée.');
  if (trace.status === 'submitted') {
    throw new DomainError(ErrorCode.TraceLocked, 'Cette trace est en relecture chez votre tuteur : attendez son retour pour la modifier.');
  }
}

export function submit(trace: TraceState, userId: string): TraceStatus {
  if (trace.internId !== userId) throw new DomainError(ErrorCode.NotFound, 'Trace introuvable.');
  if (trace.status !== 'draft' && trace.status !== 'changes_requested') {
    throw conflict(trace.status === 'submitted' ? 'Cette trace est déjà soumise.' : 'Une trace validée ne se soumet plus.');
  }
  return 'submitted';
}

function assertReviewer(reviewer: Reviewer): void {
  if (!reviewer.isActiveTutor) {
    throw new DomainError(ErrorCode.Forbidden, 'Seul le tuteur actif de l’interne peut relire ses traces.');
  }
}

export function requestChanges(trace: TraceState, reviewer: Reviewer): TraceStatus {
  assertReviewer(reviewer);
  if (trace.status !== 'submitted') throw conflict('Seule une trace soumise peut recevoir une demande de modifications.');
  return 'changes_requested';
}

export function validate(trace: TraceState, reviewer: Reviewer): TraceStatus {
  assertReviewer(reviewer);
  if (trace.status !== 'submitted') throw conflict('Seule une trace soumise peut être validée.');
  return 'validated';
}

export function assertDeletable(trace: TraceState & { everSubmitted: boolean }, userId: string): void {
  if (trace.internId !== userId) throw new DomainError(ErrorCode.NotFound, 'Trace introuvable.');
  if (trace.status !== 'draft' || trace.everSubmitted) {
    throw conflict('Seul un brouillon jamais soumis peut être supprimé.');
  }
}
