import { Injectable } from '@nestjs/common';
import { TraceRepository } from '@carnet/database';
import { DomainError, EDITABLE_STATUSES, ErrorCode, findPatientIdentifiers, IdentifierKind, IdentifierWarning } from '@carnet/domain';
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
    private readonly traces: TraceRepository,
    private readonly access: TraceAccessService,
    private readonly audit: AuditService,
  ) {}

  async replaced(auth: AuthContext, id: string, kind: IdentifierKind): Promise<void> {
    const relation = await this.access.relationTo(undefined, auth, id);
    this.access.assertOwner(relation);
    const status = await this.traces.statusOf(id);
    if (!EDITABLE_STATUSES.includes(status!)) throw new DomainError(ErrorCode.Conflict, 'Cette trace n’est plus modifiable.');
    await this.audit.record(auth, { action: 'trace.identifier_replaced', subjectType: 'trace', subjectId: id, details: { kind } });
  }

  /** For the intern and their tutors: the findings left in the text, and those the intern replaced. */
  async report(auth: AuthContext, id: string): Promise<IdentifierReport> {
    const relation = await this.access.relationTo(undefined, auth, id);
    this.access.assertOwnerOrTutors(relation);
    const [text, counts] = await Promise.all([this.traces.contentTextOf(id), this.traces.identifierReplacementsOf(id)]);
    return { warnings: findPatientIdentifiers(text), replaced: Object.fromEntries(counts.map((c) => [c.kind, c.n])) };
  }
}
