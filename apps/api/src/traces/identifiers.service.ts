import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, EDITABLE_STATUSES, ErrorCode, findPatientIdentifiers, IdentifierKind, IdentifierWarning, TraceStatus } from '@carnet/domain';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { TraceAccessService } from './trace-access.service';

export interface IdentifierReport {
  /** What the scan finds in the trace as saved now. */
  warnings: IdentifierWarning[];
  /** How many findings the intern replaced in one gesture, by kind (the passages themselves are never kept). */
  replaced: Partial<Record<IdentifierKind, number>>;
}

/**
 * Pseudonymisation as the intern does it in the editor: each replacement is a normal edit
 * (autosaved, in the revisions), and its kind is recorded here so that the tutor sees what was
 * resolved and what was left.
 */
@Injectable()
export class IdentifiersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: TraceAccessService,
    private readonly audit: AuditService,
  ) {}

  async replaced(auth: AuthContext, id: string, kind: IdentifierKind): Promise<void> {
    const relation = await this.access.relationTo(this.dataSource.manager, auth, id);
    this.access.assertOwner(relation);
    const [row] = (await this.dataSource.query(`SELECT status FROM trace WHERE id = $1`, [id])) as { status: TraceStatus }[];
    if (!EDITABLE_STATUSES.includes(row.status)) throw new DomainError(ErrorCode.Conflict, 'Cette trace n’est plus modifiable.');
    await this.audit.record(auth, { action: 'trace.identifier_replaced', subjectType: 'trace', subjectId: id, details: { kind } });
  }

  /** For the intern and their tutors: the findings left in the text, and those the intern replaced. */
  async report(auth: AuthContext, id: string): Promise<IdentifierReport> {
    const relation = await this.access.relationTo(this.dataSource.manager, auth, id);
    this.access.assertOwnerOrTutors(relation);
    const [[trace], counts] = await Promise.all([
      this.dataSource.query(`SELECT content_text FROM trace WHERE id = $1`, [id]) as Promise<{ content_text: string | null }[]>,
      this.dataSource.query(
        `SELECT details->>'kind' AS kind, count(*)::int AS n FROM audit_log WHERE action = 'trace.identifier_replaced' AND subject_type = 'trace' AND subject_id = $1 GROUP BY 1`,
        [id],
      ) as Promise<{ kind: IdentifierKind; n: number }[]>,
    ]);
    return { warnings: findPatientIdentifiers(trace?.content_text ?? ''), replaced: Object.fromEntries(counts.map((c) => [c.kind, c.n])) };
  }
}
