import { parse } from 'csv-parse/sync';
import { isFormulaLike } from '../csv';
import { isRole, Role } from '../roles';

export const IMPORT_COLUMNS = ['email', 'lastName', 'firstName', 'role', 'upp', 'promotion'] as const;
export const IMPORT_MAX_ROWS = 5000;

export interface ImportRow {
  line: number;
  email: string;
  lastName: string;
  firstName: string;
  roles: Role[];
  upp: string | null;
  promotion: number | null;
}

export interface ImportLineError {
  line: number;
  message: string;
}

export interface ParsedImport {
  rows: ImportRow[];
  errors: ImportLineError[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads a user import as spreadsheets write it: UTF-8 with or without BOM, `,` or `;`, CRLF or
 * LF, quoted fields. Checks every line on its own terms and reports each fault in French with
 * its line number (the header is line 1). `knownUpps` are the UPP codes that exist.
 */
export function parseUserImport(text: string, knownUpps: ReadonlySet<string>, currentYear: number): ParsedImport {
  const errors: ImportLineError[] = [];
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(clean, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { rows: [], errors: [{ line, message: `Fichier CSV illisible : ${(error as Error).message}` }] };
  }
  if (records.length === 0) return { rows: [], errors: [{ line: 1, message: 'Le fichier est vide.' }] };

  const header = records[0].record.map((cell) => cell.trim().toLowerCase());
  const index = new Map(header.map((name, i) => [name, i]));
  const missing = IMPORT_COLUMNS.filter((column) => !index.has(column.toLowerCase()));
  if (missing.length) {
    return {
      rows: [],
      errors: [{ line: 1, message: `Colonnes manquantes dans l’en-tête : ${missing.join(', ')} (attendu : ${IMPORT_COLUMNS.join(',')}).` }],
    };
  }
  if (records.length - 1 > IMPORT_MAX_ROWS) {
    return { rows: [], errors: [{ line: 1, message: `Le fichier dépasse ${IMPORT_MAX_ROWS} lignes ; découpez-le.` }] };
  }

  const cell = (record: string[], column: (typeof IMPORT_COLUMNS)[number]) =>
    (record[index.get(column.toLowerCase())!] ?? '').trim();
  const seen = new Map<string, number>();
  const rows: ImportRow[] = [];

  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const problems: string[] = [];
    const email = cell(record, 'email').toLowerCase();
    const lastName = cell(record, 'lastName');
    const firstName = cell(record, 'firstName');
    const roleText = cell(record, 'role').toLowerCase();
    const upp = cell(record, 'upp').toLowerCase() || null;
    const promotionText = cell(record, 'promotion');

    if (!email) problems.push('adresse e-mail manquante');
    else if (!EMAIL.test(email) || email.length > 254) problems.push(`adresse e-mail invalide « ${email} »`);
    else if (seen.has(email)) problems.push(`adresse e-mail déjà présente ligne ${seen.get(email)}`);
    if (!lastName) problems.push('nom manquant');
    else if (lastName.length > 100) problems.push('nom trop long (100 caractères au plus)');
    if (!firstName) problems.push('prénom manquant');
    else if (firstName.length > 100) problems.push('prénom trop long (100 caractères au plus)');

    const roleParts = roleText.split(/[|+]/).map((part) => part.trim()).filter(Boolean);
    const roles = [...new Set(roleParts.filter(isRole))];
    const badRoles = roleParts.filter((part) => !isRole(part));
    if (roleParts.length === 0) problems.push('rôle manquant (intern, tutor, jury ou admin)');
    else if (badRoles.length) problems.push(`rôle inconnu « ${badRoles.join(', ')} » (intern, tutor, jury ou admin)`);

    if (upp && !knownUpps.has(upp)) problems.push(`UPP inconnue « ${upp} »`);
    if (!upp && (roles.includes('intern') || roles.includes('tutor'))) problems.push('UPP manquante');

    let promotion: number | null = null;
    if (roles.includes('intern')) {
      if (!promotionText) problems.push('promotion manquante pour un interne');
      else if (!/^\d{4}$/.test(promotionText) || Number(promotionText) < 2000 || Number(promotionText) > currentYear + 1)
        problems.push(`promotion invalide « ${promotionText} » (année d’entrée dans le DES)`);
      else promotion = Number(promotionText);
    } else if (promotionText && badRoles.length === 0) {
      problems.push('une promotion ne s’applique qu’aux internes');
    }

    if (email && !seen.has(email)) seen.set(email, line);
    if (problems.length) errors.push({ line, message: capitalise(problems.join(' ; ')) + '.' });
    else rows.push({ line, email, lastName, firstName, roles, upp, promotion });
  }
  return { rows, errors };
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The fields of the lines to import that the product's CSV exports will neutralise (they start
 * with =, +, -, @, a tab or a CR, see csv.ts), one French warning a line, for the preview.
 */
export function importWarnings(rows: readonly ImportRow[]): ImportLineError[] {
  const labels = { lastName: 'nom', firstName: 'prénom', email: 'adresse e-mail' } as const;
  const warnings: ImportLineError[] = [];
  for (const row of rows) {
    const fields = (Object.keys(labels) as (keyof typeof labels)[]).filter((field) => isFormulaLike(row[field])).map((field) => labels[field]);
    if (fields.length) {
      warnings.push({
        line: row.line,
        message: `${capitalise(fields.join(', '))} : commence par =, +, -, @, une tabulation ou un retour chariot ; précédé d’une apostrophe dans les exports CSV (protection contre les formules).`,
      });
    }
  }
  return warnings;
}
