import { fold, LETTER, UPPER, WORD_END, WORD_START } from './text';
import { Finding } from './types';

/**
 * Dates of birth, and exact ages of 90 or more. A date of birth is a date after « né(e) le »,
 * « DDN », « date de naissance » or « naissance »: a consultation date (« vue le 12/03 », « le
 * 12 mars 2024 ») is not one. A birth year alone after « né(e) en » is reported too: with a
 * commune and a disease it narrows a patient down as much as an exact age does, and the age
 * says the same thing to the reader. Day and month without a year are reported as well, since
 * they give the birthday away.
 */

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const MONTH = '(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre)';
// Slashes, dots or dashes between day, month and year, or spaces as a chart sometimes has them.
const SEPARATOR = '(?:\\s?[/.-]\\s?|\\s)';
const NUMERIC = `(\\d{1,2})${SEPARATOR}(\\d{1,2})(?:${SEPARATOR}(\\d{4}|\\d{2}))?(?![\\d/.-]?\\d)`;
const LONG = `(\\d{1,2}|1er)\\s+${MONTH}(?:\\s+(\\d{4}))?${WORD_END}`;
const MONTH_YEAR = `${MONTH}\\s+(\\d{4})${WORD_END}`;
const YEAR = `((?:19|20)\\d{2})(?!\\d)`;
const BORN = `${WORD_START}(née?s?(?:\\(e\\))?)(?:\\s+à\\s+[${UPPER}][${LETTER}'-]*(?:\\s+[${UPPER}][${LETTER}'-]*)?)?`;

// The date is always the last group-of-groups of a match, wrapped whole in one group.
const BORN_ON = /* @__PURE__ */ new RegExp(`${BORN}\\s+le\\s*:?\\s+((?:${NUMERIC}|${LONG}))`, 'giu');
const BORN_IN = /* @__PURE__ */ new RegExp(`${BORN}\\s+en\\s+((?:${MONTH_YEAR}|${YEAR}))`, 'giu');
const BIRTH_FIELD = /* @__PURE__ */ new RegExp(
  `${WORD_START}(?:DDN|DN|D\\.D\\.N\\.?|date\\s+de\\s+(?:naissance|naiss\\.)|naissance)\\s*(?:[:(]\\s*|,?\\s(?:le|du)\\s+|\\s)\\s*((?:${NUMERIC}|${LONG}|${MONTH_YEAR}|${YEAR}))`,
  'giu',
);

interface Parts {
  day?: number;
  month?: number;
  year?: number;
}

const FOLDED_MONTHS = MONTHS.map(fold);
function monthNumber(name: string): number {
  return FOLDED_MONTHS.indexOf(fold(name)) + 1;
}

function fullYear(year: string | undefined, now: Date): number | undefined {
  if (year === undefined) return undefined;
  if (year.length === 4) return Number(year);
  const short = Number(year);
  return 2000 + short <= now.getFullYear() ? 2000 + short : 1900 + short;
}

/** The groups of NUMERIC, LONG, MONTH_YEAR and YEAR, in that order, from `offset` in the match. */
function partsOf(groups: (string | undefined)[], now: Date): Parts {
  const [nDay, nMonth, nYear, lDay, lMonth, lYear, myMonth, myYear, year] = groups;
  if (nDay !== undefined) return { day: Number(nDay), month: Number(nMonth), year: fullYear(nYear, now) };
  if (lDay !== undefined) return { day: lDay === '1er' ? 1 : Number(lDay), month: monthNumber(lMonth!), year: fullYear(lYear, now) };
  if (myMonth !== undefined) return { month: monthNumber(myMonth), year: Number(myYear) };
  return { year: Number(year) };
}

function plausible(parts: Parts, now: Date): boolean {
  if (parts.month !== undefined && (parts.month < 1 || parts.month > 12)) return false;
  if (parts.day !== undefined && (parts.day < 1 || parts.day > 31)) return false;
  return parts.year === undefined || (parts.year > now.getFullYear() - 125 && parts.year <= now.getFullYear());
}

/** « âgée de 69 ans », « âgé de 4 mois », or nothing when the year is unknown or to come. */
function agePhrase(parts: Parts, now: Date, feminine: boolean): string | null {
  if (parts.year === undefined) return null;
  const aged = feminine ? 'âgée' : 'âgé';
  if (parts.month === undefined) {
    const years = now.getFullYear() - parts.year;
    return years >= 2 ? `${aged} d’environ ${years} ans` : null;
  }
  const day = parts.day ?? 1;
  let months = (now.getFullYear() - parts.year) * 12 + (now.getMonth() + 1 - parts.month);
  if (now.getDate() < day) months--;
  if (months < 0) return null;
  if (months < 1) return `${aged} de moins d’un mois`;
  if (months < 24) return `${aged} de ${months} mois`;
  return `${aged} de ${Math.floor(months / 12)} ans`;
}

export function findBirthDates(text: string, now: Date): Finding[] {
  const findings: Finding[] = [];
  const push = (match: RegExpMatchArray, date: string, groups: (string | undefined)[], feminine: boolean, wholePhrase: boolean) => {
    const parts = partsOf(groups, now);
    if (!plausible(parts, now)) return;
    // The date is the excerpt; the replacements take the whole « née le … » phrase when there is one.
    const end = match.index! + match[0].length;
    const from = end - date.length;
    const phraseFrom = match.index!;
    const age = agePhrase(parts, now, feminine);
    const replacements = wholePhrase
      ? [...(age ? [age] : []), '[date de naissance retirée]']
      : ['[date de naissance retirée]', ...(age ? [age.replace(/^âgée? de /, '').replace(/^d’environ /, 'environ ')] : [])];
    findings.push({
      kind: 'birth_date',
      from,
      to: end,
      excerpt: text.slice(from, end),
      message: `Date de naissance : « ${text.slice(from, end)} ». Indiquez plutôt l’âge${age ? ` (${age})` : ''}.`,
      replacements,
      replacementRange: wholePhrase ? { from: phraseFrom, to: end } : { from, to: end },
    });
  };
  const none = [undefined, undefined, undefined];
  for (const match of text.matchAll(BORN_ON)) {
    push(match, match[2], [...match.slice(3, 9), ...none], /ée/i.test(match[1]), true);
  }
  for (const match of text.matchAll(BORN_IN)) {
    push(match, match[2], [...none, ...none, ...match.slice(3, 6)], /ée/i.test(match[1]), true);
  }
  for (const match of text.matchAll(BIRTH_FIELD)) {
    push(match, match[1], match.slice(2, 11), false, false);
  }
  return findings;
}

const AGE = /* @__PURE__ */ new RegExp(`(?<![\\d,.])(\\d{2,3})\\s*ans${WORD_END}`, 'gu');
// A bound, a span or a duration, not the age of one person.
const NOT_AN_AGE_BEFORE = /(?:plus de|moins de|au-delà de|au delà de|après|avant|dès|depuis|pendant|durant|il y a|tous les|entre|et|ou|à partir de|jusqu'à|sur|les)\s*$/iu;

export function findRareAges(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(AGE)) {
    const years = Number(match[1]);
    if (years < 90 || years > 125) continue;
    const context = text.slice(Math.max(0, match.index! - 24), match.index!);
    if (NOT_AN_AGE_BEFORE.test(context)) continue;
    const from = match.index!;
    const to = from + match[0].length;
    findings.push({
      kind: 'age',
      from,
      to,
      excerpt: text.slice(from, to),
      message: `Âge exact de ${years} ans : si rare, il peut suffire à reconnaître le patient. Préférez « plus de 90 ans ».`,
      replacements: years >= 100 ? ['plus de 100 ans', 'plus de 90 ans'] : ['plus de 90 ans'],
      replacementRange: { from, to },
    });
  }
  return findings;
}
