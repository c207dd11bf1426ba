import { findBirthDates, findRareAges } from './dates';
import { findNames } from './names';
import { findAddresses, findEmails, findHospitalIds, findNirs, findPhones } from './numbers';
import { normalise } from './text';
import { Finding, IdentifierKind, IdentifierWarning, ScanOptions } from './types';

/**
 * Traces narrate real situations; they must not identify patients. This scan finds what looks
 * like an identifier in the plain text, before a tutor reads it, and offers a replacement for
 * each. It is pure and synchronous, without Node or DOM APIs, so the web editor, the API and
 * the worker get the same warnings at the same offsets.
 *
 * What a data-protection officer reads as an identifier, and what is left alone on purpose:
 * - names (names.ts): after a civility, a given name before a surname, a family word before a
 *   name; not a given name alone (invented first names are the usual pseudonymisation), not
 *   « Mme X » nor initials, not clinicians after Dr, Pr, Docteur, interne, MSU;
 * - dates of birth (dates.ts), a birth year alone after « né(e) en » included: it says what an
 *   exact age says; consultation dates are not;
 * - exact ages of 90 or more (dates.ts): few people are that old in a commune; 89 and under are
 *   ordinary;
 * - NIR, personal phone numbers, hospital identifiers, e-mail and postal addresses (numbers.ts);
 *   not 15, 112, 3114, 0 800 numbers, nor the landlines and mailboxes of services: they point
 *   at no patient.
 * A profession in a small village would identify too, but cannot be told from ordinary prose
 * without warning on most traces; it is left to the tutor's reading.
 */

// When two findings overlap, the more specific one stays: a name inside an address is the
// street's, digits inside a NIR or a hospital identifier are not a phone number.
const OUTRANKS: Partial<Record<IdentifierKind, IdentifierKind[]>> = {
  address: ['name', 'phone', 'age'],
  email: ['name', 'phone'],
  hospital_id: ['phone', 'nir', 'name'],
  nir: ['phone'],
  birth_date: ['age', 'phone'],
};

function settle(findings: Finding[]): Finding[] {
  // Sorted by start, a finding can only overlap the ones after it that start before it ends:
  // each pair is looked at once, so a text dense with findings stays linear.
  const sorted = [...findings].sort((a, b) => a.from - b.from || b.to - a.to);
  const dropped = new Set<Finding>();
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i];
    for (let j = i + 1; j < sorted.length && sorted[j].from < a.to; j++) {
      const b = sorted[j];
      if (OUTRANKS[a.kind]?.includes(b.kind)) dropped.add(b);
      else if (OUTRANKS[b.kind]?.includes(a.kind)) dropped.add(a);
      // Two findings of one kind on the same words (two rules agreeing): the first, longer one stays.
      else if (a.kind === b.kind) dropped.add(b);
    }
  }
  return sorted.filter((finding) => !dropped.has(finding));
}

export function findPatientIdentifiers(text: string, options: ScanOptions = {}): IdentifierWarning[] {
  const now = options.now ?? new Date();
  const plain = normalise(text);
  const findings = [
    ...findNames(plain),
    ...findBirthDates(plain, now),
    ...findRareAges(plain),
    ...findNirs(plain),
    ...findPhones(plain),
    ...findEmails(plain),
    ...findAddresses(plain),
    ...findHospitalIds(plain),
  ];
  // Offsets are the same in both texts; excerpts are quoted from the intern's own text.
  return settle(findings).map((finding) => ({ ...finding, excerpt: text.slice(finding.from, finding.to) }));
}
