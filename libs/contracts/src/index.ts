/**
 * The shapes the API answers with, shared by the server (which builds them) and the web app
 * (which reads them): one definition, so the two cannot drift. Types only, no runtime code.
 */
export type TraceStatusCode = 'draft' | 'submitted' | 'changes_requested' | 'validated';

export interface AttachmentView {
  id: string;
  filename: string;
  size: number;
  sha256: string;
  mimeType: string;
  createdAt: string;
  /** The worker's scan for patient identifiers (traces' reads and the upload's answer). */
  scan?: AttachmentScanView;
}

/** One identifier found in an attachment: `kind` as the trace detector names it (birth_date, nir, phone, name, email...). */
export interface AttachmentScanWarningView {
  kind: string;
  excerpt: string;
  message: string;
  /** The PDF page, from 1; null for an image. */
  page: number | null;
}

export interface AttachmentScanView {
  /** pending until the worker has read the file; failed when it could not (reason says why). */
  status: 'pending' | 'done' | 'failed';
  warnings: AttachmentScanWarningView[];
  reason: string | null;
  scannedAt: string | null;
  /** When the intern was shown the warnings (POST /api/attachments/:id/scan/seen). */
  warningsSeenAt: string | null;
}

export interface TraceView {
  id: string;
  internId: string;
  kind: string;
  /** Absent from an admin's metadata-only view. */
  title?: string;
  content?: Record<string, unknown>;
  competences: string[];
  familles: string[];
  stageId: string | null;
  status: TraceStatusCode;
  version: number;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  validatedAt: string | null;
  validatedBy: string | null;
  validatedSha256: string | null;
  /**
   * A trace imported from another Carnet (« validé à <faculté d'origine> »): the origin and its
   * original stamp; `validatedBy` is then null. Read-only for ever.
   */
  importedFrom?: ImportedFromView | null;
  attachments?: AttachmentView[];
  /** Search results only: passages around the matches, matches in <mark>, HTML-escaped. */
  snippet?: string;
  /** Lists only: comments by others since the caller last read the conversation. */
  unreadComments?: number;
  /** Set when the trace came with its intern from another faculty (a portfolio transfer). */
  origin?: OriginView;
  /**
   * Set when the caller reads it as the lead of the intern's GEPT group (a write-up of the group's
   * meeting): they comment; sending back and validating are the tutor's.
   */
  readAs?: 'gept_lead';
}

/**
 * Where a moved item comes from: the faculty it was written (and, for a trace, validated) in,
 * and the names of that faculty's people as they were, since their rows stay there.
 */
export interface OriginView {
  facultyId: string;
  facultyName: string;
  /** A trace validated in the old faculty: who validated it there. */
  validatedByName?: string | null;
}

export type PortfolioTransferStatus = 'pending' | 'accepted' | 'refused' | 'cancelled';

/** A portfolio transfer as either faculty's admin sees it: metadata and counts, never content. */
export interface PortfolioTransferView {
  id: string;
  /** Seen from the caller's faculty: released by it (`outgoing`) or offered to it (`incoming`). */
  direction: 'outgoing' | 'incoming';
  status: PortfolioTransferStatus;
  fromFaculty: { id: string; code: string; name: string };
  toFaculty: { id: string; code: string; name: string };
  intern: { displayName: string; email: string; promotion: number | null };
  /** The intern's row in the releasing faculty: given to that faculty only. */
  fromInternId?: string;
  /** The row it was accepted onto (incoming, once accepted); for a pending incoming one, the caller's faculty's intern of the same e-mail, if any. */
  toInternId?: string | null;
  counts: { traces: number; validatedTraces: number; attachments: number; assessments: number; stages: number; juryDecisions: number; tutorMeetings: number };
  releasedAt: string;
  decidedAt: string | null;
  reason: string | null;
}

export interface ImportedFromView {
  faculty: string;
  deployment: string;
  validator: string | null;
  validatedAt: string;
  sha256: string;
  /** The manifest was signed by the origin's key, confirmed by the importing admin. */
  signed: boolean;
  /** The Carnet the archive came from, when it had itself imported the trace (validated at `faculty`, as it says). */
  relayedBy?: { faculty: string; deployment: string } | null;
}

export interface CommentView {
  id: string;
  traceId: string;
  parentId: string | null;
  author: { id: string; displayName: string };
  body: string;
  anchor: { from: number; to: number; quote: string } | null;
  revision: number | null;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface ExportView {
  id: string;
  internId: string;
  format: string;
  scope: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'expired';
  progress: number;
  size?: number;
  sha256?: string;
  pages?: number;
  error?: string;
  downloadUrl?: string;
  createdAt: string;
  completedAt?: string;
}

export interface IdentifierWarningView {
  kind: 'name' | 'birth_date' | 'nir' | 'phone' | 'email' | 'address' | 'hospital_id' | 'age';
  /** Offsets in the trace's plain text (title excluded). */
  from: number;
  to: number;
  excerpt: string;
  message: string;
  /** What the editor may put instead, best first (« L. M. », « âgée de 69 ans », « [NIR retiré] »). */
  replacements: string[];
  /** The plain-text range a replacement takes the place of (for a date of birth, the whole « née le … »). */
  replacementRange: { from: number; to: number };
}

/** An intern's progress in a phase (GET /api/portfolios/:internId/progress). */
export interface ProgressView {
  internId: string;
  /** socle, approfondissement or consolidation. */
  phase: string;
  /** When set, only the traces linked to this stage were counted. */
  stageId: string | null;
  window: { from: string; to: string };
  requirementVersion: number;
  /** Set when a jury decided this phase: the judgement used the rules of that time. */
  decided: { decision: string; sessionId: string; decidedAt: string } | null;
  competences: { code: string; label: string; validated: number; lastLevel: string | null }[];
  familles: { code: string; label: string; validated: number }[];
  kinds: Record<string, number>;
  requirements: { key: string; label: string; target: number; actual: number; met: boolean }[];
  gaps: string[];
  summary: string;
  validatedTotal: number;
}

/** A tutor meeting (GET /api/portfolios/:internId/meetings), with what the requester may do with it now. */
export interface MeetingView {
  id: string;
  tutorshipId: string;
  heldOn: string;
  discussed: string;
  nextObjectives: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  internConfirmedAt: string | null;
  tutorConfirmedAt: string | null;
  state: 'awaiting_intern' | 'awaiting_tutor' | 'co_signed';
  tutor: { id: string; displayName: string };
  intern: { id: string; displayName: string };
  /** What the requester may do with it now. */
  canEdit: boolean;
  canConfirm: boolean;
}

export interface MeetingsView {
  items: MeetingView[];
  /** Co-signed meetings, in all, and held in the last 12 months. */
  coSigned: number;
  last12Months: number;
}

/** A user as the admin's directory shows it (GET /api/admin/users and the user routes). */
export interface UserView {
  id: string;
  email: string;
  lastName: string;
  firstName: string;
  displayName: string;
  roles: ('intern' | 'tutor' | 'jury' | 'admin')[];
  upp: string | null;
  promotion: number | null;
  active: boolean;
  createdAt: string;
}

/** A faculty's university sign-in settings (GET/PUT /api/admin/university-sign-in); the secret never leaves the server. */
export interface UniversitySignInView {
  faculty: { code: string; name: string };
  configured: boolean;
  protocol: 'cas' | 'oidc';
  enabled: boolean;
  casUrl: string | null;
  issuer: string | null;
  clientId: string | null;
  /** Whether a client secret is stored. */
  clientSecretSet: boolean;
  emailAttribute: string;
  subjectAttribute: string;
  buttonLabel: string;
  internPasswordsAllowed: boolean;
  /** The address to register at the university (CAS service, OpenID redirect URI). */
  callbackUrl: string;
  updatedAt: string | null;
}

/** A document of a thesis step: the fiche de thèse, the committee's answer, the minutes of the defence. */
export interface ThesisDocumentView {
  id: string;
  filename: string;
  size: number;
  sha256: string;
  mimeType: string;
  createdAt: string;
}

/** A step of the thesis, as the faculty defines them, with its dates. */
export interface ThesisStepView {
  id: string;
  position: number;
  label: string;
  plannedOn: string | null;
  doneOn: string | null;
  note: string;
  /** done; stalled (planned day passed, not done); planned; unplanned. */
  state: 'done' | 'stalled' | 'planned' | 'unplanned';
  documents: ThesisDocumentView[];
}

export interface ThesisCommentView {
  id: string;
  authorName: string;
  /** Written through a one-time link (a director without an account). */
  viaLink: boolean;
  body: string;
  createdAt: string;
}

export type ThesisDirectorView = { kind: 'account'; id: string; displayName: string } | { kind: 'external'; name: string; email: string };

/** The director's one-time link as the intern sees it (never the link itself, only its state). */
export interface DirectorLinkView {
  email: string;
  createdAt: string;
  expiresAt: string;
  state: 'live' | 'used' | 'expired' | 'revoked';
}

/** An intern's thesis (GET /api/portfolios/:internId/thesis). */
export interface ThesisView {
  id: string;
  intern: { id: string; displayName: string };
  subject: string;
  director: ThesisDirectorView | null;
  steps: ThesisStepView[];
  comments: ThesisCommentView[];
  /** The latest link sent to a director without an account: shown to the intern only. */
  directorLink: DirectorLinkView | null;
  /** The intern edits; their director (with an account) comments; tutors and juries read. */
  canEdit: boolean;
  canComment: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A link just sent to a director (POST /api/theses/:id/director-link); `url` only when no mail leaves the machine. */
export interface DirectorLinkIssued {
  email: string;
  expiresAt: string;
  mailed: boolean;
  url?: string;
}

/** What a director sees through their link (GET /api/thesis-director/:token): the thesis, read-only, and where to comment. */
export interface ThesisDirectorPageView {
  internName: string;
  directorName: string;
  subject: string;
  steps: Omit<ThesisStepView, 'documents' | 'id'>[];
  comments: ThesisCommentView[];
  expiresAt: string;
}

/** A GEPT group in a list (GET /api/gept-groups). */
export interface GeptGroupSummary {
  id: string;
  title: string;
  year: number;
  lead: { id: string; displayName: string };
  members: number;
  meetings: number;
}

/** A GEPT meeting: its cases, and the attendance the requester may see (all of it for the lead, their own for an intern). */
export interface GeptMeetingView {
  id: string;
  heldOn: string;
  cases: string[];
  attendance: { internId: string; present: boolean | null }[];
  /** The group's gept traces linked to it (submitted or further). */
  linkedTraces: number;
}

/** A GEPT group (GET /api/gept-groups/:id). */
export interface GeptGroupView extends Omit<GeptGroupSummary, 'members' | 'meetings'> {
  members: { id: string; displayName: string }[];
  meetings: GeptMeetingView[];
  /** Per member, over the meetings held so far (the lead and the admin only; an intern gets theirs). */
  attendance: { internId: string; present: number; absent: number; unmarked: number }[];
  /** The lead keeps the meetings and the attendance. */
  canManage: boolean;
}

/** A gept trace linked to a meeting, as the group's lead reads it (GET /api/gept-meetings/:id/traces). */
export interface GeptLinkedTraceView {
  id: string;
  intern: { id: string; displayName: string };
  title: string;
  status: string;
  content: unknown;
  submittedAt: string | null;
  validatedAt: string | null;
}

/** A faculty a person is a member of, with their roles there (the faculty switcher's entries). */
export interface FacultyMembership {
  id: string;
  code: string;
  name: string;
  roles: ('intern' | 'tutor' | 'jury' | 'admin')[];
}

/** A faculty as the national operator sees it: its name and counts, never its members' content. */
export interface OperatorFacultyView {
  id: string;
  code: string;
  name: string;
  active: boolean;
  createdAt: string;
  counts: { interns: number; tutors: number; juries: number; admins: number; traces: number; exports: number };
}

/** A stage as the end-of-stage evaluations name it. */
export interface EvaluatedStageSummary {
  id: string;
  kind: string;
  label: string;
  semester: number;
  place: string;
  startsOn: string;
  endsOn: string;
  /** The first day the forms open (before it, a submission is a 409). */
  evaluationOpensOn: string;
}

/** A supervisor's end-of-stage evaluation of the intern, submitted (immutable). */
export interface StageEvaluationView {
  id: string;
  stageId: string;
  evaluator: { name: string; viaLink: boolean; userId: string | null };
  /** Competence code → level code (`non_observe` when not seen during the stage). */
  levels: Record<string, string>;
  comment: string;
  validationProposed: boolean;
  submittedAt: string;
}

/** A one-time link as the admin follows it (never its address, which only the mail holds). */
export interface StageEvaluationLinkView {
  id: string;
  evaluatorName: string;
  evaluatorEmail: string;
  createdAt: string;
  expiresAt: string;
  state: 'live' | 'used' | 'revoked' | 'expired';
}

/** POST /api/stages/:id/evaluation-links: `url` only when no mail leaves the machine. */
export interface StageEvaluationLinkIssued extends StageEvaluationLinkView {
  mailed: boolean;
  url?: string;
}

/** GET /api/portfolios/:internId/stage-evaluations: per stage, its evaluations (links for the admin, the intern's own answer state for the intern). */
export interface PortfolioStageEvaluationsView {
  internId: string;
  stages: {
    stage: EvaluatedStageSummary;
    evaluations: StageEvaluationView[];
    links?: StageEvaluationLinkView[];
    /** For the intern: whether they evaluated this stage (their answers are never shown back to anyone). */
    feedbackGiven?: boolean;
  }[];
}

/** The form's content: competences and levels, in the order they are shown. */
export interface StageEvaluationForm {
  competences: { code: string; label: string }[];
  levels: { code: string; label: string }[];
}

/** What the evaluator sees through their link (POST /api/stage-evaluation-link/view): this stage, this intern, the form. */
export interface StageEvaluationLinkPageView {
  evaluatorName: string;
  internName: string;
  stage: Omit<EvaluatedStageSummary, 'id' | 'kind' | 'semester'>;
  expiresAt: string;
  form: StageEvaluationForm;
  /** Set once submitted through this link. */
  evaluation: StageEvaluationView | null;
}

/** A stage an MSU supervises, and their evaluation of it (GET /api/stage-evaluations/to-fill). */
export interface SupervisorEvaluationTask {
  stage: EvaluatedStageSummary;
  intern: { id: string; displayName: string };
  open: boolean;
  evaluation: StageEvaluationView | null;
}

/** The intern's evaluation of a stage, as they submit it. */
export interface StageFeedbackBody {
  ratings: Record<'supervision' | 'teaching' | 'workload' | 'housing' | 'travel' | 'overall', number>;
  housingProvided: boolean;
  vehicleRequired: boolean;
  comment?: string;
}

/** GET /api/admin/stage-feedback: per place, aggregates from 3 answers, else only a French sentence. */
export interface StageFeedbackSummaryView {
  minAnswers: number;
  places: (
    | { place: string; enough: false; message: string }
    | {
        place: string;
        enough: true;
        answers: number;
        means: StageFeedbackBody['ratings'];
        housingProvided: number;
        vehicleRequired: number;
        comments: string[];
      }
  )[];
  rubrics: { code: string; label: string }[];
}

/** A teaching session (GET /api/teaching-sessions/:id), with what the requester may do with it. */
export interface TeachingSessionView {
  id: string;
  title: string;
  /** seminaire_upm, enseignement_upp, semaine_assurance_maladie, atelier, gept, autre */
  kind: string;
  startsAt: string;
  endsAt: string;
  place: string;
  promotions: number[];
  uppCodes: string[];
  capacity: number | null;
  mandatory: boolean;
  phase: string | null;
  lead: { id: string; displayName: string };
  registered: number;
  /** The requester's own registration and attendance, for an intern. */
  mine?: { expected: boolean; registered: boolean; attendance: TeachingAttendanceView | null };
  /** For the lead and the admin: every registered intern and their attendance. */
  roll?: { intern: { id: string; displayName: string; promotion: number | null }; attendance: TeachingAttendanceView | null }[];
  canRegister: boolean;
  canTakeAttendance: boolean;
}

export interface TeachingAttendanceView {
  status: 'present' | 'absent' | 'excused';
  /** list: ticked by the lead; code: the intern scanned the room's code; intern: an absence they justified. */
  via: 'list' | 'code' | 'intern';
  markedAt: string;
  reason: string | null;
  document: { filename: string; size: number; mimeType: string } | null;
}

/** GET /api/teaching-sessions/:id/attendance-code: the room's code, for its lead, during the session. */
export interface AttendanceCodeView {
  code: string;
  /** The address the QR code holds: the intern's scan page. */
  url: string;
  /** The QR code as an SVG document. */
  svg: string;
  /** When this code stops being shown (a new one replaces it). */
  rotatesAt: string;
}

/** POST /api/attendance-scans: the session the intern is now marked present at. */
export interface AttendanceScanResult {
  session: { id: string; title: string; startsAt: string; endsAt: string; place: string };
  attendance: TeachingAttendanceView;
}

/** In progress: the phase's mandatory sessions, attended or missed, with the gaps in words. */
export interface TeachingProgressView {
  held: number;
  attended: number;
  excused: number;
  upcoming: number;
  missed: { id: string; title: string; kind: string; startsAt: string }[];
  gaps: string[];
}

/** A trace of an archive another Carnet exported, as the import's preview shows it. */
export interface ImportPreviewTrace {
  originId: string;
  title: string;
  kind: string;
  validator: string | null;
  validatedAt: string;
  sha256: string;
  attachments: number;
  alreadyImported: boolean;
}

/** The answer of `POST /api/admin/portfolio-imports` (a preview with `dryRun`, else the import). */
export interface ImportAnswer {
  dryRun: boolean;
  /** Set once imported. */
  id: string | null;
  origin: { deployment: string; faculty: { code: string; name: string }; dumg: string; exportedAt: string | null };
  /** `pinnedFingerprint`: the key accepted before for this deployment; `keyAcceptedFor`: the other deployment this archive's key was accepted for. */
  signature: { signed: boolean; fingerprint: string | null; pinnedFingerprint: string | null; keyAcceptedFor: string | null };
  archiveSha256: string;
  intern: { id: string; displayName: string; email: string };
  archiveIntern: { displayName: string; email: string };
  /** Whether the archive's intern has the e-mail of the intern it goes to; if not, importing needs `acceptOtherIntern`. */
  internMatches: boolean;
  traces: ImportPreviewTrace[];
  counts: { imported: number; alreadyImported: number; skipped: number };
}
