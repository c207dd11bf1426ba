import type { TiptapJson } from '@carnet/editor';

/**
 * Everything an export shows, read once from the database: plain data, so the PDF can be laid
 * out in a worker thread (functions and entities do not cross threads).
 */
export interface PortfolioData {
  dumgName: string;
  /** Who exports: what an importing Carnet shows as the traces' origin (absent in older callers). */
  origin?: { deployment: string; faculty: { code: string; name: string } };
  generatedAt: string;
  scope: 'validated' | 'all';
  softwareVersion: string;
  intern: { id: string; displayName: string; email: string; promotion: number | null; upp: string | null };
  tutors: { displayName: string; since: string; until: string | null }[];
  traces: PortfolioTrace[];
  assessments: PortfolioAssessment[];
  des?: PortfolioDes;
}

export interface PortfolioAssessment {
  phase: string;
  tutor: string;
  levels: Record<string, string>;
  comment: string;
  recommendation: string;
  updatedAt: string;
}

export interface PortfolioTrace {
  id: string;
  kind: string;
  title: string;
  status: string;
  competences: string[];
  familles: string[];
  createdAt: string;
  submittedAt: string | null;
  validatedAt: string | null;
  validatedBy: string | null;
  validatedSha256: string | null;
  /** A trace imported from another Carnet: where it was validated (its stamp is that origin's). */
  importedFrom?: { faculty: string; deployment: string; validator: string | null; validatedAt: string; sha256: string; signed: boolean; relayedBy?: string | null } | null;
  content: TiptapJson;
  attachments: PortfolioAttachment[];
}

export interface PortfolioAttachment {
  id: string;
  filename: string;
  size: number;
  sha256: string;
  mimeType: string;
  storageKey: string;
}

/**
 * The rest of the DES beside the traces, as the API shows it to the requester: teaching
 * attendance, GEPT groups (only to whom the API shows them), tutor meetings, the thesis and the
 * supervisors' end-of-stage evaluations. Never the intern's own evaluations of their stages:
 * those are the DUMG's, anonymous. Absent from data built without it (benchmarks, unit specs).
 */
export interface PortfolioDes {
  /** Mandatory teaching per phase, judged as progress judges it (phases with sessions only). */
  teaching: PortfolioTeachingPhase[];
  /** Null when the API would not show the requester the intern's GEPT groups. */
  gept: PortfolioGeptGroup[] | null;
  meetings: PortfolioMeeting[];
  thesis: PortfolioThesis | null;
  stages: PortfolioStageEvaluations[];
}

export interface PortfolioTeachingPhase {
  phase: string;
  held: number;
  attended: number;
  excused: number;
  missed: number;
  upcoming: number;
  gaps: string[];
  sessions: { title: string; kind: string; startsAt: string; endsAt: string; state: 'attended' | 'excused' | 'missed' | 'upcoming' }[];
}

export interface PortfolioGeptGroup {
  title: string;
  year: number;
  lead: string;
  meetings: { heldOn: string; cases: string[]; present: boolean | null }[];
}

export interface PortfolioMeeting {
  heldOn: string;
  tutor: string;
  discussed: string;
  nextObjectives: string;
  internConfirmedAt: string | null;
  tutorConfirmedAt: string | null;
}

export interface PortfolioThesis {
  subject: string;
  director: string | null;
  steps: { label: string; plannedOn: string | null; doneOn: string | null; state: string; note: string }[];
}

export interface PortfolioStageEvaluations {
  kind: string;
  semester: number;
  place: string;
  startsOn: string;
  endsOn: string;
  evaluations: { evaluator: string; viaLink: boolean; levels: Record<string, string>; comment: string; validationProposed: boolean; submittedAt: string }[];
}
