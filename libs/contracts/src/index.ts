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
  attachments?: AttachmentView[];
  /** Search results only: passages around the matches, matches in <mark>, HTML-escaped. */
  snippet?: string;
  /** Lists only: comments by others since the caller last read the conversation. */
  unreadComments?: number;
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
  kind: string;
  from: number;
  to: number;
  excerpt: string;
  message: string;
}
