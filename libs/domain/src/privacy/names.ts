import { Gender, givenNameGender, isAbbreviationKey, isGivenNameKey, isNotSurnameKey, PLACEHOLDERS } from './lexicons';
import { after, before, fold, LETTER, LOWER, UPPER, WORD_END, WORD_START, wordSet } from './text';
import { Finding } from './types';

/**
 * Names of patients and of their families. A name is reported when something beyond a
 * capital letter says it is one: a civility (« Mme Dupont »), a given name from the lexicon
 * before a surname (« Lucas Moreau », « BERTRAND Josiane »), a family word (« son fils Thomas
 * Girard », « la famille Meyer »). A given name alone is not reported: invented first names are
 * the usual pseudonymisation in traces. Clinicians after « Dr », « Pr », « Docteur », « interne »
 * are not patients, and neither is a name inside a street, a hospital or an eponym.
 */

// A capitalised word (Moreau, Lopez-Garcia, D'Almeida) or a word in capitals (MOREAU).
const CAPITALISED = `(?:[DL]'[${UPPER}])?[${UPPER}][${LOWER}]+(?:[-'][${UPPER}][${LOWER}]+)*`;
const CAPITALS = `[${UPPER}]{2,}(?:[-'][${UPPER}]{2,})*`;
const PARTICLE = `(?:(?:Le|La|Da|Dos|Das|De|Del|Della|Di|Du|El|Ben|Ait|Aït|Abou|Van|Von|Ter|de|du|des)\\s+|d')`;
const WORD_TAIL = `(?![${LETTER}0-9_]|[-'][${LETTER}])`;
const TOKEN = /* @__PURE__ */ new RegExp(`${WORD_START}(${PARTICLE})?(${CAPITALISED}|${CAPITALS})${WORD_TAIL}`, 'gu');

const CIVILITY = /* @__PURE__ */ new RegExp(
  `${WORD_START}((?:M\\.|Mr\\.?|MM\\.|Mme\\.?|Mmes|Mlle\\.?|Mlles|[Mm]adame|[Mm]onsieur|[Mm]ademoiselle)(?:\\s+et\\s+(?:M\\.|Mme\\.?|Mlle\\.?|[Mm]adame|[Mm]onsieur))?)\\s+`,
  'gu',
);

/** Clinicians and carers: a name right after one of these is not a patient's. */
const ROLE_BEFORE = /* @__PURE__ */ new RegExp(
  `(?:^|[^${LETTER}])(?:drs?|dre|pr|pre|docteure?|professeure?|interne|externe|co-interne|msu|ma[iî]tre(?:sse)? de stage|tut(?:eur|rice)|infirmi(?:er|ère)s?|ide|ipa|kinés?|kinésithérapeute|ostéopathe|pharmacien(?:ne)?|sage-femme|psychologue|psychiatre|pédiatre|gériatre|urgentiste|chirurgien(?:ne)?|[${LETTER}]+logue|médecin(?:\\s+(?:traitant|coordonnateur|généraliste|régulateur))?|confrère|consœur|secrétaire|assistante? sociale?|aide-soignante?|remplaçante?|signé)\\.?\\s*[,:]?\\s*(?:(?:le|la|l'|mon|ma|notre|son|sa|du|de|au|à|par)\\s+)?$`,
  'iu',
);

/** Streets, buildings and eponyms: « rue Jean Jaurès », « hôpital Claude Bernard », « syndrome de Pierre Robin ». */
const PLACE_BEFORE = /* @__PURE__ */ new RegExp(
  `(?:^|[^${LETTER}])(?:rue|avenue|av\\.|boulevard|bd|place|allée|chemin|impasse|quai|cours|square|route|hôpital|hopital|clinique|polyclinique|lycée|collège|école|université|faculté|institut|fondation|centre|résidence|ehpad|maison|stade|pavillon|bâtiment|service|unité|chu|ch|salle|parc|pont|gare|station|arrêt|quartier|cité|espace|foyer|crèche|association|prix|saint|sainte|st|ste|laboratoires?|labos?|société|entreprise|marque|syndrome|maladie|signe|score|test|manœuvre|manoeuvre|méthode|échelle|classification|critères?|loi|séquence|triade|réflexe|phénomène|point|groupe)\\s+(?:(?:de|du|des|de la|d')\\s*)?$`,
  'iu',
);

/** Family and children: what comes before a name of a relative or of a child. */
const FAMILY_BEFORE = /* @__PURE__ */ new RegExp(
  `(?:^|[^${LETTER}])(le petit|la petite|l'enfant|le bébé|le nourrisson|son fils|sa fille|son époux|son épouse|l'époux de|l'épouse de|le mari de|la femme de|son mari|sa femme|sa compagne|son compagnon|sa mère|son père|sa sœur|son frère|sa tante|son oncle|sa nièce|son neveu|sa cousine|son cousin|sa petite-fille|son petit-fils|sa belle-fille|son beau-fils|sa belle-mère|son beau-père|sa belle-sœur|son beau-frère|son gendre|sa bru|le fils de|la fille de|la mère de|le père de|le frère de|la sœur de|l'aidante?|sa voisine|son voisin|la maman de|le papa de)\\s*,?\\s*$`,
  'iu',
);
const SURNAME_ONLY_BEFORE = /* @__PURE__ */ new RegExp(`(?:^|[^${LETTER}])(?:famille|époux|consorts|chez les|les enfants|les parents|les petits-enfants)\\s+$`, 'iu');
// The last word each of the two lists above can end with: most capitalised words start a
// sentence, and a set lookup spares them a regular expression over their context.
const FAMILY_LAST_WORDS = /* @__PURE__ */ wordSet(`
  petit petite enfant bébé nourrisson fils fille époux épouse de mari femme compagne compagnon mère
  père sœur frère tante oncle nièce neveu cousine cousin petite-fille petit-fils belle-fille
  beau-fils belle-mère beau-père belle-sœur beau-frère gendre bru aidant aidante voisine voisin
`);
const SURNAME_ONLY_LAST_WORDS = /* @__PURE__ */ wordSet('famille époux consorts les enfants parents petits-enfants');

/** The last word of a context, without « l' » nor a trailing comma, folded. */
function lastWord(context: string): string {
  const trimmed = context.replace(/[\s,]+$/, '');
  const word = trimmed.slice(trimmed.search(/\S+$/));
  return fold(word.replace(/^[ld]'/i, ''));
}

function familyTitle(context: string): string | null {
  if (!FAMILY_LAST_WORDS.has(lastWord(context))) return null;
  return FAMILY_BEFORE.exec(context)?.[1].toLowerCase() ?? null;
}

function surnameOnlyContext(context: string): boolean {
  return SURNAME_ONLY_LAST_WORDS.has(lastWord(context)) && SURNAME_ONLY_BEFORE.test(context);
}

const CHILD_TITLE = /^(?:le petit|la petite|l'enfant|le bébé|le nourrisson)$/i;
const FEMALE_TITLE = /^(?:la petite|sa fille|son épouse|l'épouse de|la femme de|sa femme|sa compagne|sa mère|sa sœur|sa tante|sa nièce|sa cousine|sa petite-fille|sa belle-fille|sa belle-mère|sa belle-sœur|sa bru|la fille de|la mère de|la sœur de|l'aidante|sa voisine|la maman de)$/i;
const AGE_AFTER = /* @__PURE__ */ new RegExp(`^\\s*[,(]?\\s*\\d{1,3}\\s*(?:ans|mois)${WORD_END}`, 'u');
/** Words that start sentences, capitalised there without being names. */
const SENTENCE_WORDS = /* @__PURE__ */ wordSet(`
  le la les un une des pour chez avec sans son sa ses mon ma mes ce cet cette ces elle il ils elles je
  nous vous on puis et mais donc quand depuis selon dans en au aux du de à par sur sous vers après
  avant lors dès notre votre leur leurs lui tout toute tous toutes patient patiente enfant bébé
  monsieur madame mademoiselle mme mlle dr pr docteur professeur
`);
const CHILD_AGE_AFTER = /* @__PURE__ */ new RegExp(`^\\s*,?\\s*(?:(\\d{1,2})\\s*ans|\\d{1,2}\\s*mois)${WORD_END}`, 'u');

interface Token {
  /** Its position in the list of tokens. */
  index: number;
  from: number;
  to: number;
  word: string;
  particle: boolean;
  capitals: boolean;
  /** Read once: a given name of the lexicon; a word that may be a surname. */
  given: boolean;
  surname: boolean;
  /** Never a surname (an eponym, a drug, a place, a month), whatever else it is. */
  excluded: boolean;
  /** « X », « XX », « HTA »: not a name even after a civility. */
  placeholder: boolean;
}

function tokens(text: string): Token[] {
  const found: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const word = match[2];
    const particle = match[1];
    const key = fold(word);
    const isGiven = isGivenNameKey(key);
    // « la maman de Maël Le Roux »: a small « de » before a given name is the sentence's, not the name's.
    const sentenceWord = particle !== undefined && /^(?:de|du|des|d')\s*$/.test(particle) && isGiven;
    const from = sentenceWord ? match.index! + particle.length : match.index!;
    const capitals = word === word.toUpperCase();
    const excluded = isNotSurnameKey(key);
    const placeholder = PLACEHOLDERS.has(key) || (capitals && isAbbreviationKey(key));
    found.push({
      index: found.length,
      from,
      to: match.index! + match[0].length,
      word,
      particle: !!particle && !sentenceWord,
      capitals,
      given: isGiven && (!particle || sentenceWord),
      surname: !excluded && !placeholder,
      excluded,
      placeholder,
    });
  }
  return found;
}

/** Words next to each other, separated by spaces only (no punctuation, no new line). */
function adjacent(text: string, left: Token, right: Token): boolean {
  return /^[ \t]+$/.test(text.slice(left.to, right.from));
}

function surnameLike(token: Token): boolean {
  return token.surname;
}

function givenLike(token: Token): boolean {
  return token.given;
}

function initialOf(word: string): string {
  return word
    .split('-')
    .map((part) => `${part.replace(/^[DL]'/, '').charAt(0).toUpperCase()}.`)
    .join('-');
}

const NOUN: Record<Gender | 'child', string> = { f: 'la patiente', m: 'le patient', unknown: 'le patient', child: 'l’enfant' };

function nameFinding(text: string, from: number, to: number, words: Token[], civility: string | null, gender: Gender, child: boolean): Finding {
  const excerpt = text.slice(from, to);
  const initials = words.map((t) => initialOf(t.word)).join(' ');
  // « Mme C. » at the end of a sentence must not leave « Mme C.. » behind.
  const abbreviated = text.charAt(to) === '.' ? initials.replace(/\.$/, '') : initials;
  const replacements = civility
    ? [`${civility} ${abbreviated}`, `${civility} X`, child ? NOUN.child : NOUN[gender]]
    : [abbreviated, child ? NOUN.child : NOUN[gender]];
  return {
    kind: 'name',
    from,
    to,
    excerpt,
    message: `Nom de personne possible : « ${excerpt} ». Préférez des initiales (${replacements[0]}) ou « ${civility ? `${civility} X` : replacements[1]} ».`,
    replacements,
    replacementRange: { from, to },
  };
}

function civilityGender(civility: string): Gender {
  if (/\bet\b/.test(civility)) return 'unknown';
  return /^(?:mme|mmes|mlle|mlles|madame|mademoiselle)/i.test(civility) ? 'f' : 'm';
}

function isChild(text: string, to: number, title: string | null): boolean {
  if (title && CHILD_TITLE.test(title)) return true;
  const age = CHILD_AGE_AFTER.exec(after(text, to));
  return !!age && (age[1] === undefined || Number(age[1]) < 15);
}

export function findNames(text: string): Finding[] {
  const findings: Finding[] = [];
  const all = tokens(text);
  const used = new Set<Token>();
  const byStart = new Map(all.map((t) => [t.from, t]));

  // A civility, then the words of the name.
  for (const match of text.matchAll(CIVILITY)) {
    const first = byStart.get(match.index! + match[0].length);
    if (!first || first.placeholder) continue;
    if (ROLE_BEFORE.test(before(text, match.index!))) continue;
    const words = [first];
    let index = first.index;
    while (words.length < 3 && index + 1 < all.length && adjacent(text, all[index], all[index + 1]) && surnameLike(all[index + 1])) {
      words.push(all[++index]);
    }
    words.forEach((t) => used.add(t));
    const civility = match[1].replace(/\s+/g, ' ');
    const to = words[words.length - 1].to;
    findings.push(nameFinding(text, match.index!, to, words, civility, civilityGender(civility), isChild(text, to, null)));
  }

  // Civility tokens themselves (Madame, Monsieur) are capitalised words: never the start of a name.
  const isCivilityWord = (t: Token) => /^(?:madame|monsieur|mademoiselle|mme|mlle)$/i.test(t.word);

  for (let i = 0; i < all.length; i++) {
    const head = all[i];
    if (used.has(head) || isCivilityWord(head)) continue;
    const next = i + 1 < all.length && adjacent(text, head, all[i + 1]) && !used.has(all[i + 1]) ? all[i + 1] : null;
    // The lexicon rules first: the context is read only for a candidate, as most capitalised
    // words (sentence starts) are none.
    let words: Token[] | null = null;
    if (next && givenLike(head) && surnameLike(next)) words = [head, next];
    else if (next && head.capitals && !head.particle && surnameLike(head) && givenLike(next)) words = [head, next];
    // Two capitalised words and an age: a person, whether or not the lexicon knows the given
    // name (« Ysaline Morvan, 8 ans »).
    else if (next && !head.particle && surnameLike(head) && surnameLike(next) && !SENTENCE_WORDS.has(fold(head.word)) && AGE_AFTER.test(after(text, next.to))) words = [head, next];
    const context = before(text, head.from);
    let title: string | null = null;
    if (!words && next && !head.capitals && !head.excluded && surnameLike(next)) {
      title = familyTitle(context);
      if (title) words = [head, next];
    } else if (!words && !next && !head.particle && surnameLike(head) && surnameOnlyContext(context)) words = [head];
    if (!words) continue;
    if (ROLE_BEFORE.test(context) || PLACE_BEFORE.test(context)) continue;
    if (title === null) title = familyTitle(context);

    // A third word continues a compound surname (« Jean Claude Perret »).
    let last = words[words.length - 1].index;
    while (words.length < 3 && last + 1 < all.length && adjacent(text, all[last], all[last + 1]) && surnameLike(all[last + 1]) && !used.has(all[last + 1])) {
      words.push(all[++last]);
    }
    words.forEach((t) => used.add(t));
    i = last;
    const given = words.find(givenLike);
    const gender: Gender = title && FEMALE_TITLE.test(title) ? 'f' : given ? givenNameGender(given.word) : 'unknown';
    const to = words[words.length - 1].to;
    findings.push(nameFinding(text, words[0].from, to, words, null, gender, isChild(text, to, title)));
  }
  return findings;
}
