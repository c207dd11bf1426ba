import { DomainError, ErrorCode } from '@carnet/domain';

/** What a page is asked by: its number and size (a list's query carries them, validated). */
export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  /** On keyset lists: where the next page starts, or null after the last one. */
  nextCursor?: string | null;
}

export const pageOf = <T>(items: T[], total: number, query: PageRequest): Page<T> => ({
  items,
  total,
  page: query.page,
  pageSize: query.pageSize,
});

export const offsetOf = (query: PageRequest) => (query.page - 1) * query.pageSize;

/**
 * A sort key of a cursor: a timestamptz as `keySql` writes it (PostgreSQL's own text, which
 * cursors carried before, is still read), a uuid, or an integer id.
 */
export const CURSOR_KEY = {
  timestamp: /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  integer: /^\d{1,19}$/,
};

/** The opaque cursor after a row with these sort keys (exact: timestamps as text to the microsecond). */
export const cursorAfter = (keys: (string | null)[]): string => Buffer.from(JSON.stringify(keys)).toString('base64url');

/**
 * A keyset page from `pageSize + 1` rows read: the extra row only tells that another page
 * follows, whose cursor is made from the last row kept.
 */
export function keysetPage<T>(rows: T[], pageSize: number, keysOf: (last: T) => (string | null)[]): { rows: T[]; nextCursor: string | null } {
  if (rows.length <= pageSize) return { rows, nextCursor: null };
  const kept = rows.slice(0, pageSize);
  return { rows: kept, nextCursor: cursorAfter(keysOf(kept[kept.length - 1])) };
}

/** The sort keys a cursor holds, each checked against its shape (null allowed where `nullable`); a forged or stale one is a 422. */
export function cursorKeys(cursor: string, shapes: { shape: RegExp; nullable?: boolean }[]): (string | null)[] {
  let keys: unknown;
  try {
    keys = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    keys = undefined;
  }
  const valid =
    Array.isArray(keys) &&
    keys.length === shapes.length &&
    keys.every((key, i) => (key === null ? shapes[i].nullable === true : typeof key === 'string' && shapes[i].shape.test(key)));
  if (!valid) throw new DomainError(ErrorCode.InvalidInput, 'Curseur de pagination invalide : repartez de la première page.', [{ path: 'cursor', message: 'curseur invalide' }]);
  return keys as (string | null)[];
}
