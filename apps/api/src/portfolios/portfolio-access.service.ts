import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Tutorship, User } from '@carnet/database';
import { notFound } from '@carnet/domain';
import { AuthContext, hasRole } from '../auth/auth-context';
import { OPEN_SESSION_INTERNS_SQL } from '../traces/trace-access.service';

/** How the caller relates to an intern's portfolio as a whole (progress, exports). */
export type PortfolioRelation = 'self' | 'tutor' | 'jury' | 'admin';

@Injectable()
export class PortfolioAccessService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The intern themselves; a tutor who tutors or tutored them; a member of an open jury session
   * the intern is on; an admin. Anyone else, or an id
   * that is not an intern: 404.
   */
  async relation(auth: AuthContext, internId: string): Promise<{ intern: User; relation: PortfolioRelation }> {
    const intern = await this.dataSource.getRepository(User).findOneBy({ id: internId });
    if (!intern || !intern.roles.includes('intern')) throw notFound('Portfolio');
    if (intern.id === auth.userId) return { intern, relation: 'self' };
    if (hasRole(auth, 'tutor') && (await this.dataSource.getRepository(Tutorship).exists({ where: { tutorId: auth.userId, internId } }))) {
      return { intern, relation: 'tutor' };
    }
    if (hasRole(auth, 'jury') && (await this.sitsOnOpenSessionOf(auth.userId, internId))) return { intern, relation: 'jury' };
    if (hasRole(auth, 'admin')) return { intern, relation: 'admin' };
    throw notFound('Portfolio');
  }

  async sitsOnOpenSessionOf(userId: string, internId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`${OPEN_SESSION_INTERNS_SQL} WHERE ji.intern_id = $2 LIMIT 1`, [userId, internId]);
    return rows.length > 0;
  }
}
