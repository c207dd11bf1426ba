import type { AttachmentView, CommentView, ExportView, FacultyMembership, IdentifierWarningView, OperatorFacultyView, TraceView } from '@carnet/contracts';

/** The API client: cookie session, CSRF header on writes, problem+json errors in French. */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  code?: string;
  errors?: { path: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
  get status() {
    return this.problem.status;
  }
}

let csrfToken: string | undefined;
export const setCsrfToken = (token: string | undefined) => (csrfToken = token);

export interface ApiResponse<T> {
  body: T;
  status: number;
  etag: string | null;
}

export async function request<T>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; raw?: BodyInit } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  } catch {
    throw new ApiError({ status: 0, title: 'Hors ligne', detail: 'Le serveur ne répond pas : vérifiez votre connexion.' });
  }
  const type = response.headers.get('content-type') ?? '';
  const body = response.status === 204 ? undefined : type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const problem = (typeof body === 'object' && body ? body : { detail: String(body ?? response.statusText) }) as Partial<Problem>;
    throw new ApiError({ status: response.status, title: problem.title ?? response.statusText, detail: problem.detail ?? 'Erreur', code: problem.code, errors: problem.errors });
  }
  return { body: body as T, status: response.status, etag: response.headers.get('etag') };
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path).then((r) => r.body),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }).then((r) => r.body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }).then((r) => r.body),
  del: (path: string) => request<void>('DELETE', path),
};

export type TraceSummary = Omit<TraceView, 'content' | 'attachments'>;
export type Trace = TraceView & { attachments?: AttachmentView[] };
export type Comment = CommentView;
export type Warning = IdentifierWarningView;
export type ExportStatus = ExportView;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  firstName: string;
  roles: ('intern' | 'tutor' | 'jury' | 'admin' | 'operator')[];
  upp: { code: string; name: string } | null;
  /** The faculty this session works in (null: the national operator), and every faculty the person is a member of. */
  faculty: { id: string; code: string; name: string } | null;
  faculties: FacultyMembership[];
  promotion?: number;
  tutees?: { id: string; displayName: string; promotion: number | null }[];
  tutors?: { id: string; displayName: string }[];
  csrfToken?: string;
  reminders: boolean;
}

/** The session moves to the person's membership of another faculty: a new session, its own CSRF token. */
export async function switchFaculty(facultyId: string): Promise<Me> {
  const answer = await api.post<{ accessToken: string; user: Me }>('/session/faculty', { facultyId });
  setCsrfToken(answer.user.csrfToken);
  return answer.user;
}

export type OperatorFaculty = OperatorFacultyView;
export interface NewFaculty {
  code: string;
  name: string;
  admin: { email: string; firstName: string; lastName: string };
}

/** The national operator's faculties: names and counts, never a member's content. */
export const operatorFaculties = {
  list: () => api.get<OperatorFaculty[]>('/operator/faculties'),
  create: (body: NewFaculty) => api.post<OperatorFaculty & { invitationLink?: string }>('/operator/faculties', body),
  update: (id: string, changes: { name?: string; active?: boolean }) =>
    request<OperatorFaculty>('PATCH', `/operator/faculties/${encodeURIComponent(id)}`, { body: changes }).then((r) => r.body),
};
