/**
 * Helpers shared by the recognisers. JavaScript's \b only knows [A-Za-z0-9_], even with the
 * `u` flag, so « né » followed by a space has no \b after « é »: every word edge here is a
 * lookaround on explicit letter classes instead. The classes are the Latin letters French is
 * written in, with combining accents (a text pasted in decomposed form): a regular expression
 * on them runs several times faster than on \p{L}, and a name in another script is not what
 * an intern writes in a trace.
 */
/** Class bodies, to be put inside [...]. */
export const UPPER = 'A-ZÀ-ÖØ-ÞŒŸ';
export const LOWER = 'a-zß-öø-ÿœ\\u0300-\\u036f';
export const LETTER = 'A-Za-zÀ-ÖØ-öø-ÿĀ-ɏ\\u0300-\\u036f';
/** Not inside a word (letters, digits, underscore) on the left / on the right. */
export const WORD_START = `(?<![${LETTER}0-9_])`;
export const WORD_END = `(?![${LETTER}0-9_])`;

const SAME_LENGTH: Record<string, string> = {
  '\u00a0': ' ', // no-break space, before « : » and inside numbers in French typography
  '\u202f': ' ', // narrow no-break space
  '\u2007': ' ',
  '\u2009': ' ',
  '\u2019': "'", // typographic apostrophe, which the editor types
  '\u2018': "'",
  '\u02bc': "'",
  '\u2010': '-',
  '\u2011': '-',
};
const SAME_LENGTH_PATTERN = /[\u00a0\u202f\u2007\u2009\u2019\u2018\u02bc\u2010\u2011]/g;

/**
 * The text with typographic spaces, apostrophes and hyphens made plain, character for
 * character, so that every offset found in it is an offset in the original text.
 */
export function normalise(text: string): string {
  return text.replace(SAME_LENGTH_PATTERN, (c) => SAME_LENGTH[c]);
}

/** A word as the lexicons store it: lower case, without accents. */
export function fold(word: string): string {
  // Most words of a French text have no accent: they skip the Unicode decomposition.
  if (/^[\x00-\x7f]*$/.test(word)) return word.toLowerCase();
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The text just before `index`, on the same line, at most `length` characters. */
export function before(text: string, index: number, length = 48): string {
  const start = Math.max(0, index - length);
  const window = text.slice(start, index);
  const newline = window.lastIndexOf('\n');
  return newline === -1 ? window : window.slice(newline + 1);
}

/** The text just after `index`, on the same line, at most `length` characters. */
export function after(text: string, index: number, length = 24): string {
  const window = text.slice(index, index + length);
  const newline = window.indexOf('\n');
  return newline === -1 ? window : window.slice(0, newline);
}

/** A set of folded words from a string of words separated by spaces or new lines. */
export function wordSet(words: string): Set<string> {
  return new Set(words.split(/\s+/).filter(Boolean).map(fold));
}
