/**
 * Traces narrate real situations; they must not identify patients. This scan finds what looks
 * like an identifier in the plain text, before a tutor reads it. It errs toward warning, yet
 * stays quiet on the usual anonymisations ("Mme X", "M. D.", initials).
 */
export type IdentifierKind = 'name' | 'birth_date' | 'nir' | 'phone' | 'email';

export interface IdentifierWarning {
  kind: IdentifierKind;
  /** Offsets in the plain text of the trace (title excluded). */
  from: number;
  to: number;
  excerpt: string;
  message: string;
}

const UPPER = 'A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ';
const LOWER = 'a-zàâäçéèêëîïôöùûüÿæœ';
// A civility, then a capitalised name of two letters or more (not an initial, not "X").
const CIVIL_NAME = new RegExp(
  `\\b(?:M\\.|Mr\\.?|Mme\\.?|Mlle\\.?|Madame|Monsieur|Mademoiselle|Docteur|Dr\\.?)\\s+((?:[${UPPER}][${LOWER}]+|[${UPPER}]{2,})(?:[-' ][${UPPER}][${LOWER}${UPPER}]+)*)`,
  'gu',
);
const BIRTH_DATE = new RegExp(
  `\\b(?:né|née|nés|nées|naissance|DDN)\\b[^.\\n]{0,25}?\\b(\\d{1,2}\\s*[/.-]\\s*\\d{1,2}\\s*[/.-]\\s*(?:19|20)?\\d{2}|\\d{1,2}(?:er)?\\s+(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)\\s+(?:19|20)\\d{2})`,
  'giu',
);
const NIR = /\b([12])\s?(\d{2})\s?(0[1-9]|1[0-2]|[2-9]\d)\s?(\d{2}|2A|2B)\s?(\d{3})\s?(\d{3})\s?(\d{2})\b/g;
const PHONE = /(?<![\d])(?:(?:\+|00)33\s?[1-9]|0[1-9])(?:[\s.-]?\d{2}){4}(?![\d])/g;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

const NOT_NAMES = new Set(['X', 'Y', 'Z', 'XX', 'XY', 'ABC']);

/** The NIR key is 97 minus the 13-digit number modulo 97 (Corsica's 2A/2B count as 19/18). */
function nirKeyMatches(groups: string[]): boolean {
  const [sex, year, month, department, commune, order, key] = groups;
  const dep = department === '2A' ? '19' : department === '2B' ? '18' : department;
  const number = BigInt(`${sex}${year}${month}${dep}${commune}${order}`);
  return 97n - (number % 97n) === BigInt(key);
}

export function findPatientIdentifiers(text: string): IdentifierWarning[] {
  const warnings: IdentifierWarning[] = [];
  const push = (kind: IdentifierKind, from: number, to: number, message: string) =>
    warnings.push({ kind, from, to, excerpt: text.slice(from, to), message });

  for (const match of text.matchAll(CIVIL_NAME)) {
    const name = match[1];
    if (NOT_NAMES.has(name)) continue;
    const from = match.index! + match[0].length - name.length;
    push('name', match.index!, from + name.length, `Nom de patient possible : « ${match[0]} ». Préférez une initiale (M. D.) ou « Mme X ».`);
  }
  for (const match of text.matchAll(BIRTH_DATE)) {
    const from = match.index! + match[0].lastIndexOf(match[1]);
    push('birth_date', from, from + match[1].length, `Date de naissance possible : « ${match[1]} ». Indiquez plutôt l’âge.`);
  }
  for (const match of text.matchAll(NIR)) {
    if (nirKeyMatches(match.slice(1))) push('nir', match.index!, match.index! + match[0].length, 'Numéro de sécurité sociale (NIR) : à retirer.');
  }
  for (const match of text.matchAll(PHONE)) {
    push('phone', match.index!, match.index! + match[0].length, `Numéro de téléphone : « ${match[0]} ». À retirer.`);
  }
  for (const match of text.matchAll(EMAIL)) {
    push('email', match.index!, match.index! + match[0].length, `Adresse e-mail : « ${match[0]} ». À retirer.`);
  }
  return warnings.sort((a, b) => a.from - b.from);
}
