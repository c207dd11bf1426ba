import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PhaseRequirement } from '@carnet/database';
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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async current(): Promise<RequirementView[]> {
    const rows: PhaseRequirement[] = await this.dataSource
      .getRepository(PhaseRequirement)
      .createQueryBuilder('r')
      .distinctOn(['r.phase'])
      .orderBy('r.phase')
      .addOrderBy('r.version', 'DESC')
      .getMany();
    return PHASES.map((phase) => view(rows.find((r) => r.phase === phase)!));
  }

  async history(phase: Phase): Promise<RequirementView[]> {
    return (await this.dataSource.getRepository(PhaseRequirement).find({ where: { phase }, order: { version: 'ASC' } })).map(view);
  }

  async update(auth: AuthContext, phase: Phase, rules: PhaseRules): Promise<RequirementView> {
    const faults = rulesFaults(rules);
    if (faults.length) throw new DomainError(ErrorCode.InvalidInput, 'Exigences invalides.', faults.map((f) => ({ ...f, path: `rules.${f.path}` })));
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('phase_requirement:' || $1))`, [phase]);
      const latest = await manager.getRepository(PhaseRequirement).findOneOrFail({ where: { phase }, order: { version: 'DESC' } });
      const row = manager.create(PhaseRequirement, { phase, version: latest.version + 1, rules, createdBy: auth.userId });
      await manager.save(row);
      await this.audit.record(auth, { action: 'requirements.updated', subjectType: 'phase', subjectId: phase, details: { version: row.version } }, manager);
      return view(row);
    });
  }
}
