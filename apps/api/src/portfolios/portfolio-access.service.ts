import { Injectable } from '@nestjs/common';
import { Statements, User } from '@carnet/database';
import { notFound } from '@carnet/domain';
import { AuthContext, hasRole } from '../auth/auth-context';
import { OPEN_SESSION_INTERNS_SQL } from '../traces/trace-access.service';

/** How the caller relates to an intern's portfolio as a whole (progress, exports). */
export type PortfolioRelation = 'self' | 'tutor' | 'jury' | 'admin';

/** What the portfolio's readers need of its intern. */
export type PortfolioIntern = Pick<User, 'id' | 'roles' | 'promotion' | 'firstName' | 'lastName'>;

/** The intern (`$2`) and what ties the caller (`$1`) to them, in one prepared statement. */
const INTERN_AND_TIES_SQL = `SELECT u.id, u.roles, u.promotion, u.first_name AS "firstName", u.last_name AS "lastName",
    EXISTS (SELECT 1 FROM tutorship ts WHERE ts.tutor_id = $1 AND ts.intern_id = u.id) AS tutor,
    EXISTS (${OPEN_SESSION_INTERNS_SQL} WHERE ji.intern_id = u.id) AS jury
  FROM app_user u WHERE u.id = $2`;

@Injectable()
export class PortfolioAccessService {
  constructor(private readonly statements: Statements) {}

  /**
   * The intern themselves; a tutor who tutors or tutored them; a member of an open jury session
   * the intern is on; an admin. Anyone else, or an id
   * that is not an intern: 404.
   */
  async relation(auth: AuthContext, internId: string): Promise<{ intern: PortfolioIntern; relation: PortfolioRelation }> {
    const [row] = await this.statements.query<PortfolioIntern & { tutor: boolean; jury: boolean }>(INTERN_AND_TIES_SQL, [auth.userId, internId]);
    if (!row || !row.roles.includes('intern')) throw notFound('Portfolio');
    const { tutor, jury, ...intern } = row;
    if (intern.id === auth.userId) return { intern, relation: 'self' };
    if (hasRole(auth, 'tutor') && tutor) return { intern, relation: 'tutor' };
    if (hasRole(auth, 'jury') && jury) return { intern, relation: 'jury' };
    if (hasRole(auth, 'admin')) return { intern, relation: 'admin' };
    throw notFound('Portfolio');
  }
}
