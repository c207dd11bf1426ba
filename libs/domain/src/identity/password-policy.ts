import { DomainError, ErrorCode } from '../errors';

export const PASSWORD_MIN_LENGTH = 12;

/** Length over complexity rules (NIST SP 800-63B): at least 12 characters, at most 256. */
export function assertAcceptablePassword(password: string, email?: string): void {
  const local = email?.split('@')[0].toLowerCase();
  const fault =
    password.length < PASSWORD_MIN_LENGTH
      ? `au moins ${PASSWORD_MIN_LENGTH} caractères`
      : password.length > 256
        ? '256 caractères au plus'
        : local && local.length >= 4 && password.toLowerCase().includes(local)
          ? 'ne doit pas contenir votre adresse e-mail'
          : null;
  if (fault) {
    throw new DomainError(ErrorCode.InvalidInput, `Mot de passe refusé : ${fault}.`, [{ path: 'password', message: fault }]);
  }
}
