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
  importedFrom?: { faculty: string; deployment: string; validator: string | null; validatedAt: string; sha256: string; signed: boolean } | null;
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
