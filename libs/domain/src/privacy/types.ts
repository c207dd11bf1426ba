/** What the detector reports: a kind a data-protection officer would recognise. */
export const IDENTIFIER_KINDS = ['name', 'birth_date', 'nir', 'phone', 'email', 'address', 'hospital_id', 'age'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface IdentifierWarning {
  kind: IdentifierKind;
  /** Offsets in the plain text of the trace (title excluded), in UTF-16 code units as JavaScript counts them. */
  from: number;
  to: number;
  excerpt: string;
  /** In French, for the intern. */
  message: string;
  /**
   * What the editor may put instead, best first, in one gesture. They replace
   * `replacementRange`, which is the excerpt or, for a date of birth, the whole « née le … »
   * phrase (so that « âgée de 69 ans » reads right).
   */
  replacements: string[];
  replacementRange: { from: number; to: number };
}

export interface ScanOptions {
  /** The date ages are computed at (a date of birth becomes « âgé de N ans »); defaults to now. */
  now?: Date;
}

/** One recogniser's finding, before the detector settles overlaps. */
export type Finding = IdentifierWarning;
