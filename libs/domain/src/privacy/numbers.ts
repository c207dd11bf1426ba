import { after, before, LETTER, UPPER, WORD_END, WORD_START } from './text';
import { Finding } from './types';

/**
 * Numbers that point at one person: the NIR (social security number), personal phone numbers
 * and hospital identifiers (IPP, dossier, séjour, NDA).
 */

function finding(kind: Finding['kind'], text: string, from: number, to: number, message: string, replacement: string): Finding {
  return { kind, from, to, excerpt: text.slice(from, to), message, replacements: [replacement], replacementRange: { from, to } };
}

// Sex, year, month (01-12, or 20-99 for unknown months), department (2A/2B for Corsica),
// commune, order, and the key when there is one; spaces or dots between groups, or none.
const NIR = /(?<!\d[ .]?)([12])[ .]?(\d{2})[ .]?(0[1-9]|1[0-2]|[2-9]\d)[ .]?(\d{2}|2[AB])[ .]?(\d{3})[ .]?(\d{3})(?:[ .]?(\d{2}))?(?![ .]?\d)/g;
const NIR_CONTEXT = /* @__PURE__ */ new RegExp(
  `${WORD_START}(?:NIR|INS|n°\\s*SS|num[ée]ro\\s+(?:de\\s+)?(?:s[ée]cu|SS|INSEE|d'immatriculation)|s[ée]curit[ée]\\s+sociale|s[ée]cu|carte\\s+vitale|vitale|immatriculation|assur[ée]\\s+social)${WORD_END}`,
  'iu',
);

/** The key is 97 minus the 13 digits modulo 97, Corsica's 2A and 2B counting as 19 and 18. */
export function nirKeyMatches(digits13: string, key: string): boolean {
  const number = BigInt(digits13.replace('2A', '19').replace('2B', '18'));
  return 97n - (number % 97n) === BigInt(key);
}

export function findNirs(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(NIR)) {
    const [, sex, year, month, department, commune, order, key] = match;
    const digits13 = `${sex}${year}${month}${department}${commune}${order}`;
    const validKey = key !== undefined && nirKeyMatches(digits13, key);
    // A number of this shape is a NIR whatever its key when the sentence says so.
    if (!validKey && !NIR_CONTEXT.test(before(text, match.index!, 60))) continue;
    findings.push(finding('nir', text, match.index!, match.index! + match[0].length, 'Numéro de sécurité sociale (NIR) : à retirer.', '[NIR retiré]'));
  }
  return findings;
}

// 0X XX XX XX XX with spaces, dots, dashes or slashes, or none, the same between all pairs (so
// that a date and an hour, « 01/02/2024 12 h », are not read as a number); +33 or 0033 with an
// optional (0).
const PHONE = /(?<![\d+][ ./-]?|\d)(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?([1-9])|0([1-9]))([ ./-]?)\d{2}(?:\3\d{2}){3}(?![ ./-]?\d)/g;
/**
 * A landline right after the name of a service is the service's, not the patient's: the
 * poison centre, a hospital secretariat, a practice. Mobile numbers are always reported.
 */
const SERVICE_BEFORE = /* @__PURE__ */ new RegExp(
  `${WORD_START}(?:secrétariat|secretariat|standard|accueil|service|centre|cabinet|pharmacie|laboratoire|labo|hôpital|hopital|clinique|chu|samu|urgences|pmi|cmp|ehpad|mairie|plateforme|antipoison|ssiad|had|kiné|radiologie|cpam|caisse|maternité|bureau|fax|sos|écoute|ligne|association|allô|permanence|astreinte|régulation|secours|numéro vert)${WORD_END}[^.;!?\\n]*$`,
  'iu',
);

/** The same, named right after the number: « 04 67 33 12 00, le secrétariat de cardiologie ». */
const SERVICE_AFTER = /* @__PURE__ */ new RegExp(
  `^\\s*[,(:–—-]?\\s*(?:c'est\\s+|soit\\s+)?(?:celui\\s+d[ue]\\s+|(?:le|la|les|l'|du|de\\s+la|des)\\s*)?(?:secrétariat|secretariat|standard|accueil|service|centre|cabinet|pharmacie|laboratoire|labo|hôpital|hopital|clinique|chu|samu|urgences|pmi|cmp|ehpad|mairie|plateforme|ssiad|had|radiologie|cpam|caisse|maternité|permanence|astreinte)${WORD_END}`,
  'iu',
);

export function findPhones(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(PHONE)) {
    const national = match[1] ?? match[2];
    // 08: free and shared-cost service numbers (0 800 …), never a person's line.
    if (national === '8') continue;
    const mobile = national === '6' || national === '7';
    if (!mobile && (SERVICE_BEFORE.test(before(text, match.index!, 60)) || SERVICE_AFTER.test(after(text, match.index! + match[0].length, 40)))) continue;
    findings.push(finding('phone', text, match.index!, match.index! + match[0].length, `Numéro de téléphone : « ${match[0]} ». À retirer.`, '[téléphone retiré]'));
  }
  return findings;
}

const HOSPITAL_ID = /* @__PURE__ */ new RegExp(
  `${WORD_START}(?:IPP|NIP|NDA|IEP|[Nn]°\\s*(?:de\\s+|d')?(?:dossier|séjour|sejour|patient|venue|admission|hospitalisation)|[Nn]um[ée]ro\\s+(?:de\\s+|d')?(?:dossier|séjour|sejour|patient|venue|admission|hospitalisation|IPP)|[Dd]ossier\\s+n°)(?:\\s*[:#.]|\\s*n°)?\\s*(\\d[\\d]*(?:[ /-]\\d{2,}){0,3})(?!\\d)`,
  'gu',
);

export function findHospitalIds(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(HOSPITAL_ID)) {
    if (match[1].replace(/\D/g, '').length < 5) continue;
    findings.push(finding('hospital_id', text, match.index!, match.index! + match[0].length, `Identifiant hospitalier : « ${match[0]} ». À retirer.`, '[identifiant hospitalier retiré]'));
  }
  return findings;
}

const EMAIL = /(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** A service's mailbox (a secretariat, a hospital, an agency) is not a patient's. */
const SERVICE_MAILBOX = /^(?:secr[ée]tariat|secretariat|contact|accueil|info|infos|service|rdv|standard|cabinet|direction|admin|no-?reply)/i;
const SERVICE_DOMAIN = /(?:^|[.-])(?:chu|chr|ch|aphp|ap-hm|hcl|hopital|hospitalier|clinique|ars|ameli|assurance-maladie|cpam|gouv|sante|has-sante|mssante)(?:[.-]|$)/i;

export function findEmails(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(EMAIL)) {
    const [local, domain] = match[0].split('@');
    if (SERVICE_MAILBOX.test(local) || SERVICE_DOMAIN.test(domain)) continue;
    findings.push(finding('email', text, match.index!, match.index! + match[0].length, `Adresse e-mail : « ${match[0]} ». À retirer.`, '[e-mail retiré]'));
  }
  return findings;
}

const STREET_TYPES = ['rue', 'avenue', 'av.', 'boulevard', 'bd', 'chemin', 'impasse', 'allée', 'place', 'route', 'quai', 'cours', 'square', 'passage', 'voie', 'lotissement', 'résidence', 'domaine', 'hameau', 'lieu-dit', 'montée', 'traverse', 'sentier', 'cité', 'esplanade', 'rond-point', 'parvis', 'promenade', 'faubourg', 'ruelle', 'venelle'];
// Case-sensitive on purpose: under the i flag an upper-case class matches small letters too, and the street
// name must start with a capital. A street type may start a sentence, hence its two cases.
const STREET = `(?:${STREET_TYPES.map((w) => `[${w[0].toUpperCase()}${w[0]}]${w.slice(1).replace('.', '\\.')}`).join('|')})`;
const LINK = "(?:(?:de la|de l'|des|du|de|d'|l'|la|le|les|aux|au|à la|à|sur|en|et)\\s*)?";
const TOWN = `[${UPPER}][${LETTER}'-]*(?:\\s[${UPPER}][${LETTER}'-]*){0,2}`;
const ADDRESS = /* @__PURE__ */ new RegExp(
  `(?<![\\d,.])\\d{1,4}(?:\\s*(?:bis|ter|quater|[A-D]))?${WORD_END}\\s*,?\\s+${STREET}${WORD_END}(?:\\s+${LINK}[${UPPER}\\d][${LETTER}'\\d-]*){1,5}(?:\\s*,?\\s*\\d{5}\\s+${TOWN})?`,
  'gu',
);

export function findAddresses(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(ADDRESS)) {
    findings.push(finding('address', text, match.index!, match.index! + match[0].length, `Adresse postale : « ${match[0]} ». À retirer.`, '[adresse retirée]'));
  }
  return findings;
}
