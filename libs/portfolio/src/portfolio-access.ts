import { Injectable } from '@nestjs/common';
import { PortfolioRepository, Tx, User } from '@carnet/database';
import { portfolioRelation, PortfolioRelation, Role } from '@carnet/domain';

export type { PortfolioRelation };

/** The requester as the rule needs them: who, and with which roles. */
export interface Reader {
  userId: string;
  roles: readonly Role[];
}

/** What the portfolio's readers need of its intern. */
export type PortfolioIntern = Pick<User, 'id' | 'roles' | 'promotion' | 'firstName' | 'lastName'>;

/**
 * The portfolio rule of `@carnet/domain` (`portfolioRelation`) over the reader's ties read now.
 * The API asks it on every read; the export worker asks it again when it builds an export, so
 * an export holds what its requester may read at that time, not when they asked.
 */
@Injectable()
export class PortfolioAccess {
  constructor(private readonly portfolios: PortfolioRepository) {}

  /** The intern and the reader's relation to their portfolio now; null when none (or not an intern). */
  async relation(reader: Reader, internId: string, tx?: Tx): Promise<{ intern: PortfolioIntern; relation: PortfolioRelation } | null> {
    const row = await this.portfolios.internAndTies(reader.userId, internId, tx);
    if (!row || !row.roles.includes('intern')) return null;
    const { tutor, jury, ...intern } = row;
    // A past tutor's reviews are the trace rule's: the portfolio asks nothing of them.
    const relation = portfolioRelation({ roles: reader.roles, self: intern.id === reader.userId, tutorship: tutor ? 'current' : 'none', jury: jury ? 'open' : 'none' });
    return relation ? { intern, relation } : null;
  }
}
