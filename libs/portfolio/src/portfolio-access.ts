import { Injectable } from '@nestjs/common';
import { PreparedStatements, User } from '@carnet/database';
import type { Role } from '@carnet/domain';

/**
 * Who may read an intern's portfolio as a whole (progress, assessments, stages, exports), now:
 * - `self`: the intern;
 * - `tutor`: their active tutor. A former tutor keeps reading the traces they reviewed (the
 *   trace rule) and nothing more: no progress, no assessment, no export;
 * - `jury`: a member of a jury session the intern is on, while it is open;
 * - `admin`: the DUMG's staff.
 * The API asks it on every read; the export worker asks it again when it builds an export, so
 * an export holds what its requester may read at that time, not when they asked.
 */
export type PortfolioRelation = 'self' | 'tutor' | 'jury' | 'admin';

/** The requester as the rule needs them: who, and with which roles. */
export interface Reader {
  userId: string;
  roles: readonly Role[];
}

/** What the portfolio's readers need of its intern. */
export type PortfolioIntern = Pick<User, 'id' | 'roles' | 'promotion' | 'firstName' | 'lastName'>;

/** The interns of the open jury sessions where the member `$1` sits: the one definition of "open". */
export const OPEN_SESSION_INTERNS_SQL = `SELECT ji.intern_id FROM jury_intern ji
  JOIN jury_member jm ON jm.session_id = ji.session_id AND jm.user_id = $1
  JOIN jury_session js ON js.id = ji.session_id AND now() >= js.opens_at AND now() < js.closes_at`;

/** The intern (`$2`) and what ties the reader (`$1`) to them now, in one prepared statement. */
const INTERN_AND_TIES_SQL = `SELECT u.id, u.roles, u.promotion, u.first_name AS "firstName", u.last_name AS "lastName",
    EXISTS (SELECT 1 FROM tutorship ts WHERE ts.tutor_id = $1 AND ts.intern_id = u.id AND ts.ended_at IS NULL) AS tutor,
    EXISTS (${OPEN_SESSION_INTERNS_SQL} WHERE ji.intern_id = u.id) AS jury
  FROM app_user u WHERE u.id = $2`;

/** The reader's relation to the intern's portfolio from what ties them (null: none, a 404). */
export function decidePortfolioRelation(reader: Reader, internId: string, ties: { tutor: boolean; jury: boolean }): PortfolioRelation | null {
  if (internId === reader.userId) return 'self';
  if (reader.roles.includes('tutor') && ties.tutor) return 'tutor';
  if (reader.roles.includes('jury') && ties.jury) return 'jury';
  if (reader.roles.includes('admin')) return 'admin';
  return null;
}

@Injectable()
export class PortfolioAccess {
  constructor(private readonly statements: PreparedStatements) {}

  /** The intern and the reader's relation to their portfolio now; null when none (or not an intern). */
  async relation(reader: Reader, internId: string): Promise<{ intern: PortfolioIntern; relation: PortfolioRelation } | null> {
    const [row] = await this.statements.query<PortfolioIntern & { tutor: boolean; jury: boolean }>(INTERN_AND_TIES_SQL, [reader.userId, internId]);
    if (!row || !row.roles.includes('intern')) return null;
    const { tutor, jury, ...intern } = row;
    const relation = decidePortfolioRelation(reader, intern.id, { tutor, jury });
    return relation ? { intern, relation } : null;
  }
}
