import { Injectable } from '@nestjs/common';
import { PhaseRequirement, RequirementRepository, Transactions } from '@carnet/database';
import { DomainError, ErrorCode, Phase, PHASES, PhaseRules, rulesFaults } from '@carnet/domain';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';

export interface RequirementView {
  phase: Phase;
  version: number;
  rules: PhaseRules;
  createdAt: string;
}

const view = (r: PhaseRequirement): RequirementView => ({ phase: r.phase, version: r.version, rules: r.rules as PhaseRules, createdAt: r.createdAt.toISOString() });

/** The department's requirements per phase: each change is a new version, the old ones stay. */
@Injectable()
export class RequirementsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly requirements: RequirementRepository,
    private readonly audit: AuditService,
  ) {}

  async current(): Promise<RequirementView[]> {
    const rows = await this.requirements.currentOfEachPhase();
    return PHASES.map((phase) => view(rows.find((r) => r.phase === phase)!));
  }

  async history(phase: Phase): Promise<RequirementView[]> {
    return (await this.requirements.history(phase)).map(view);
  }

  async update(auth: AuthContext, phase: Phase, rules: PhaseRules): Promise<RequirementView> {
    const faults = rulesFaults(rules);
    if (faults.length) throw new DomainError(ErrorCode.InvalidInput, 'Exigences invalides.', faults.map((f) => ({ ...f, path: `rules.${f.path}` })));
    return this.transactions.run(async (tx) => {
      await this.requirements.lockPhase(phase, tx);
      const latest = await this.requirements.latest(phase, tx);
      const row = await this.requirements.add({ phase, version: latest.version + 1, rules, createdBy: auth.userId }, tx);
      await this.audit.record(auth, { action: 'requirements.updated', subjectType: 'phase', subjectId: phase, details: { version: row.version } }, tx);
      return view(row);
    });
  }
}
