import { AuditEntry } from './audit-entry.entity';
import { OneTimeToken, TokenPurpose } from './one-time-token.entity';
import { Promotion } from './promotion.entity';
import { Session } from './session.entity';
import { Tutorship } from './tutorship.entity';
import { Upp } from './upp.entity';
import { User } from './user.entity';

export { AuditEntry, OneTimeToken, TokenPurpose, Promotion, Session, Tutorship, Upp, User };

export const entities = [AuditEntry, OneTimeToken, Promotion, Session, Tutorship, Upp, User];
