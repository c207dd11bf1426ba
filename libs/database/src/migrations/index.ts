import { Foundation1764000000000 } from './1764000000000-foundation';
import { Identity1764000001000 } from './1764000001000-identity';
import { Traces1764000002000 } from './1764000002000-traces';
import { Exports1764000003000 } from './1764000003000-exports';
import { AssessmentAndJuries1764000004000 } from './1764000004000-assessment-and-juries';
import { Stages1764000005000 } from './1764000005000-stages';
import { CommentReads1764000006000 } from './1764000006000-comment-reads';
import { ReminderOutbox1764000007000 } from './1764000007000-reminder-outbox';
import { UserSearch1764000008000 } from './1764000008000-user-search';
import { ScopedSearch1764000009000 } from './1764000009000-scoped-search';
import { DropUnusedUserIndex1764000010000 } from './1764000010000-drop-unused-user-index';
import { TraceTally1764000011000 } from './1764000011000-trace-tally';
import { AuditDays1764000012000 } from './1764000012000-audit-days';
import { TraceTagTally1764000013000 } from './1764000013000-trace-tag-tally';
import { TraceTagPairTally1764000014000 } from './1764000014000-trace-tag-pair-tally';
import { SessionNotify1764000015000 } from './1764000015000-session-notify';
import { TraceKindIndex1764000016000 } from './1764000016000-trace-kind-index';
import { DropTwinCommentIndex1764000017000 } from './1764000017000-drop-twin-comment-index';
import { AuditActionPageIndex1764000018000 } from './1764000018000-audit-action-page-index';
import { LoginAttempts1764000019000 } from './1764000019000-login-attempts';
import { AttachmentScans1764000020000 } from './1764000020000-attachment-scans';
import { OrganisationListIndexes1764000023000 } from './1764000023000-organisation-list-indexes';
import { TraceSearchOffAutosave1764000025000 } from './1764000025000-trace-search-off-autosave';
import { UniversitySignIn1764000024000 } from './1764000024000-university-sign-in';
import { TutorMeetings1764000026000 } from './1764000026000-tutor-meetings';
import { Faculties1764000027000 } from './1764000027000-faculties';

/** Every migration, in order. Listed by hand so the same array serves tsc output and jest. */
export const migrations = [Foundation1764000000000, Identity1764000001000, Traces1764000002000, Exports1764000003000, AssessmentAndJuries1764000004000, Stages1764000005000, CommentReads1764000006000, ReminderOutbox1764000007000, UserSearch1764000008000, ScopedSearch1764000009000, DropUnusedUserIndex1764000010000, TraceTally1764000011000, AuditDays1764000012000, TraceTagTally1764000013000, TraceTagPairTally1764000014000, SessionNotify1764000015000, TraceKindIndex1764000016000, DropTwinCommentIndex1764000017000, AuditActionPageIndex1764000018000, LoginAttempts1764000019000, AttachmentScans1764000020000, OrganisationListIndexes1764000023000, UniversitySignIn1764000024000, TraceSearchOffAutosave1764000025000, TutorMeetings1764000026000, Faculties1764000027000];
