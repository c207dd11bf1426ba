import { Injectable } from '@nestjs/common';
import { AuditActor, AuditRecord, AuditRepository, AuditView, Page, Tx } from '@carnet/database';
import type { AuthContext, RequestOrigin } from '../auth/auth-context';
import type { ListAuditQuery } from './dto/audit.dto';

export type { AuditRecord, AuditView };

type Who = Pick<AuthContext, 'userId' | 'ip' | 'requestId'> | (RequestOrigin & { userId?: string | null });

/**
 * The append-only audit log, as the API's services write and read it (the statements are
 * `AuditRepository`'s). Written inside the caller's transaction when one is given, so an action
 * and its audit entry are saved together or not at all.
 */
@Injectable()
export class AuditService {
  constructor(private readonly entries: AuditRepository) {}

  record(who: Who, record: AuditRecord, tx?: Tx): Promise<void> {
    return this.entries.record(actor(who), record, tx);
  }

  countSince(action: string, since: Date, filter: { subjectId?: string; ip?: string }): Promise<number> {
    return this.entries.countSince(action, since, filter);
  }

  list(query: ListAuditQuery): Promise<Page<AuditView>> {
    return this.entries.list(query);
  }
}

const actor = (who: Who): AuditActor => ({ userId: who.userId ?? null, ip: who.ip, requestId: who.requestId });
