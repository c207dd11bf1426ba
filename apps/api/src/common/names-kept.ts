import type { EntityManager } from 'typeorm';
import { displayName } from '@carnet/domain';

interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * The names of the people `ids` as this faculty may show them: its own people's, and for those of
 * another faculty that a moved portfolio names (a stage's supervisor, a meeting's tutor: rows of
 * the old faculty, out of this one's reach) the name kept at the move, `portfolio_transfer_person`
 * (ADR 0007). Anyone else: no name.
 */
export async function namesOf(db: Queryable | EntityManager, ids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = (await db.query(
    `SELECT u.id, u.first_name AS "firstName", u.last_name AS "lastName", NULL AS kept FROM app_user u WHERE u.id = ANY($1::uuid[])
     UNION ALL SELECT p.user_id, NULL, NULL, p.display_name FROM portfolio_transfer_person p WHERE p.user_id = ANY($1::uuid[])`,
    [wanted],
  )) as { id: string; firstName: string | null; lastName: string | null; kept: string | null }[];
  const names = new Map<string, string>();
  for (const row of rows) {
    if (row.kept === null) names.set(row.id, displayName({ firstName: row.firstName ?? '', lastName: row.lastName ?? '' }));
    else if (!names.has(row.id)) names.set(row.id, row.kept);
  }
  return names;
}
