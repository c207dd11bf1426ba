/**
 * Writing CSV for spreadsheets, safe from formula injection (OWASP "CSV Injection"): a cell
 * that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula by
 * Excel or LibreOffice (`=HYPERLINK(…)`, `@SUM(…)`, DDE). Such a cell is prefixed with a single
 * quote `'` and quoted, so it shows as text. Every CSV the product writes goes through here.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a cell would be neutralised on output (starts with = + - @, a tab or a CR). */
export function isFormulaLike(value: string): boolean {
  return FORMULA_START.test(value);
}

/**
 * One CSV cell: numbers as they are; text neutralised when formula-like, and quoted when
 * neutralised, when `quote` is asked, or when it holds the separator, a quote or a line break.
 */
export function csvCell(value: string | number | null | undefined, options: { separator?: string; quote?: boolean } = {}): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const separator = options.separator ?? ';';
  const neutralised = isFormulaLike(value);
  const text = neutralised ? `'${value}` : value;
  const mustQuote = options.quote || neutralised || text.includes(separator) || /["\r\n]/.test(text);
  return mustQuote ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (without its line ending) from its cells. */
export function csvLine(cells: readonly (string | number | null | undefined)[], options: { separator?: string; quote?: boolean } = {}): string {
  return cells.map((cell) => csvCell(cell, options)).join(options.separator ?? ';');
}
