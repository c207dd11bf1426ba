import { Assessment, AssessmentRevision, PhaseRequirement, Recommendation } from './assessment.entity';
import { Attachment } from './attachment.entity';
import { Decision, JuryDecision, JuryIntern, JuryMember, JurySession } from './jury.entity';
import { ReminderLog } from './reminder-log.entity';
import { Stage, StageDifficulty, StagePhase, StageSupervisor } from './stage.entity';
import { AuditEntry } from './audit-entry.entity';
import { OneTimeToken, TokenPurpose } from './one-time-token.entity';
import { PortfolioExport } from './portfolio-export.entity';
import { Promotion } from './promotion.entity';
import { Session } from './session.entity';
import { TraceComment } from './trace-comment.entity';
import { TraceRevision } from './trace-revision.entity';
import { ImportedOrigin, Trace } from './trace.entity';
import { Tutorship } from './tutorship.entity';
import { TutorMeeting } from './tutor-meeting.entity';
import { Upp } from './upp.entity';
import { User } from './user.entity';
import { Faculty } from './faculty.entity';
import { Thesis, ThesisComment, ThesisDirectorLink, ThesisDocument, ThesisStep, ThesisStepTemplate } from './thesis.entity';
import { GeptAttendance, GeptGroup, GeptGroupMember, GeptMeeting } from './gept.entity';
import { IdentityLinkProposal, UniversityProtocol, UniversitySignInConfig, UniversitySignInFlow, UserIdentity } from './university-sign-in.entity';

export { ExportFormat, ExportScope, ExportStatus } from './portfolio-export.entity';
export type { ImportedOrigin };
export { Assessment, AssessmentRevision, PhaseRequirement, Recommendation, Decision, JuryDecision, JuryIntern, JuryMember, JurySession, ReminderLog, Stage, StageDifficulty, StagePhase, StageSupervisor };
export { Attachment, AuditEntry, OneTimeToken, PortfolioExport, TokenPurpose, Promotion, Session, Trace, TraceComment, TraceRevision, Tutorship, TutorMeeting, Upp, User };

export { Faculty, IdentityLinkProposal, UniversityProtocol, UniversitySignInConfig, UniversitySignInFlow, UserIdentity };

export { Thesis, ThesisComment, ThesisDirectorLink, ThesisDocument, ThesisStep, ThesisStepTemplate, GeptAttendance, GeptGroup, GeptGroupMember, GeptMeeting };

export const entities = [Thesis, ThesisComment, ThesisDirectorLink, ThesisDocument, ThesisStep, ThesisStepTemplate, GeptAttendance, GeptGroup, GeptGroupMember, GeptMeeting, Faculty, IdentityLinkProposal, UniversitySignInConfig, UniversitySignInFlow, UserIdentity, Stage, StageDifficulty, StagePhase, StageSupervisor, Assessment, AssessmentRevision, PhaseRequirement, JuryDecision, JuryIntern, JuryMember, JurySession, ReminderLog, Attachment, AuditEntry, OneTimeToken, PortfolioExport, Promotion, Session, Trace, TraceComment, TraceRevision, Tutorship, TutorMeeting, Upp, User];
