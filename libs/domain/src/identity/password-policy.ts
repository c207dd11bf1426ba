import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnFr from '@zxcvbn-ts/language-fr';
import { DomainError, ErrorCode } from '../errors';

export const PASSWORD_MIN_LENGTH = 12;
/** zxcvbn's score (0–4) a chosen password must reach: 3 is "safely unguessable" (about 10^8 guesses and more). */
export const PASSWORD_MIN_SCORE = 3;
/** zxcvbn's cost grows with length; what follows the first 100 characters only adds strength. */
const ZXCVBN_MAX_LENGTH = 100;

/** Built once, when the module loads (the dictionaries take about 0.1 s to index). */
const zxcvbn = new ZxcvbnFactory({
  translations: zxcvbnFr.translations,
  graphs: zxcvbnCommon.adjacencyGraphs,
  dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnFr.dictionary },
});

/**
 * Length first (NIST SP 800-63B: at least 12 characters, at most 256, not the e-mail), then
 * strength: zxcvbn (common and French dictionaries) must score it 3 or more, and it must not be one
 * of the commonest passwords. The reason given is zxcvbn's French feedback when there is one.
 * Applies to a password a user chooses (invitation or reset link, an admin creating a user);
 * CARNET_ADMIN_PASSWORD is held to its length only (libs/config), so that no deployment stops starting.
 */
export function assertAcceptablePassword(password: string, email?: string): void {
  const local = email?.split('@')[0].toLowerCase();
  const fault =
    password.length < PASSWORD_MIN_LENGTH
      ? `au moins ${PASSWORD_MIN_LENGTH} caractères`
      : password.length > 256
        ? '256 caractères au plus'
        : local && local.length >= 4 && password.toLowerCase().includes(local)
          ? 'ne doit pas contenir votre adresse e-mail'
          : weakness(password, local);
  if (fault) {
    throw new DomainError(ErrorCode.InvalidInput, `Mot de passe refusé : ${fault}`.replace(/[.\s]*$/, '.'), [{ path: 'password', message: fault }]);
  }
}

/** Why zxcvbn finds `password` too easy to guess, in French, or null when it is strong enough. */
function weakness(password: string, local?: string): string | null {
  const result = zxcvbn.check(password.slice(0, ZXCVBN_MAX_LENGTH), local ? [local] : []);
  const common = result.sequence.length === 1 && result.sequence[0].pattern === 'dictionary' && result.sequence[0].dictionaryName.startsWith('passwords');
  if (result.score >= PASSWORD_MIN_SCORE && !common) return null;
  const { warning, suggestions } = result.feedback;
  if (common) return warning || 'c’est l’un des mots de passe les plus courants';
  return warning || suggestions[0] || 'trop facile à deviner : choisissez une phrase de plusieurs mots peu courants';
}
