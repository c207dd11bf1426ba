import { Injectable } from '@nestjs/common';
import { PortfolioRepository } from '@carnet/database';
import { notFound } from '@carnet/domain';
import { PortfolioAccess, PortfolioIntern, PortfolioRelation } from '@carnet/portfolio';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';

export type { PortfolioIntern, PortfolioRelation };

/** The API's side of the portfolio rule (`@carnet/portfolio`): no relation now is a 404. */
@Injectable()
export class PortfolioAccessService {
  private readonly access: PortfolioAccess;

  constructor(
    portfolios: PortfolioRepository,
    private readonly audit: AuditService,
  ) {
    this.access = new PortfolioAccess(portfolios);
  }

  async relation(auth: AuthContext, internId: string): Promise<{ intern: PortfolioIntern; relation: PortfolioRelation }> {
    const found = await this.access.relation(auth, internId);
    if (!found) throw notFound('Portfolio');
    return found;
  }

  /** `relation`, and an audit entry when someone other than the intern reads their `what`. */
  async read(auth: AuthContext, internId: string, what: 'progress' | 'assessments' | 'stages'): Promise<{ intern: PortfolioIntern; relation: PortfolioRelation }> {
    const found = await this.relation(auth, internId);
    if (found.relation !== 'self') {
      await this.audit.record(auth, { action: 'portfolio.read', subjectType: 'portfolio', subjectId: internId, details: { what, as: found.relation } });
    }
    return found;
  }
}
