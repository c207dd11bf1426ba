import { AuditEntry } from './audit-entry.entity';

export { AuditEntry };

export const entities = [AuditEntry];
