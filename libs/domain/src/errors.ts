/**
 * What can go wrong by the rules of the domain. One code, one HTTP status, mapped in one place
 * (apps/api's problem filter), exhaustively: adding a code without a status fails to compile.
 */
export enum ErrorCode {
  NotFound = 'not_found',
  Forbidden = 'forbidden',
  Unauthenticated = 'unauthenticated',
  InvalidCredentials = 'invalid_credentials',
  InvalidInput = 'invalid_input',
  Conflict = 'conflict',
  DuplicateUpp = 'duplicate_upp',
  DuplicateEmail = 'duplicate_email',
  TutorAlreadyHasPromotionTutee = 'tutor_already_has_promotion_tutee',
  InternAlreadyHasTutor = 'intern_already_has_tutor',
  TutorshipEnded = 'tutorship_ended',
  RoleMismatch = 'role_mismatch',
  InvalidToken = 'invalid_token',
  TooLarge = 'too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  TraceLocked = 'trace_locked',
  TraceStateConflict = 'trace_state_conflict',
  StaleVersion = 'stale_version',
  VersionRequired = 'version_required',
  QueueUnavailable = 'queue_unavailable',
  StorageUnavailable = 'storage_unavailable',
}

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    /** The underlying failure, for the logs; never shown to the client. */
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError(ErrorCode.NotFound, `${what} introuvable.`);
