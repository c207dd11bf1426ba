import { Injectable } from '@nestjs/common';
import type { Role, TeachingKind } from '@carnet/domain';
import { Database, Tx } from './database';

/** A teaching session as its views read it: the session, its lead's name, its UPPs' codes, its count of registrations. */
export interface SessionRow {
  id: string;
  title: string;
  kind: TeachingKind;
  starts_at: Date;
  ends_at: Date;
  place: string;
  promotions: number[];
  upp_ids: string[];
  upp_codes: string[];
  capacity: number | null;
  mandatory: boolean;
  phase: string | null;
  lead_id: string;
  lead_first_name: string;
  lead_last_name: string;
  attendance_key: Buffer;
  registered: number;
}

/** An intern's attendance at a session (the absence's reason and document included: for those who may read them). */
export interface AttendanceRow {
  intern_id: string;
  status: 'present' | 'absent' | 'excused';
  via: 'list' | 'code' | 'intern';
  marked_at: Date;
  reason: string | null;
  document_filename: string | null;
  document_mime_type: string | null;
  document_size: number | null;
  document_storage_key: string | null;
}

/** A registered intern on the session's roll, and their attendance (its columns null when not marked yet). */
export type RollRow = AttendanceRow & { id: string; first_name: string; last_name: string; promotion: number | null };

/** A registered intern on the session's CSV roll. */
export type RollExportRow = AttendanceRow & { id: string; first_name: string; last_name: string; email: string; promotion: number | null; upp: string | null };

/** A session in an intern's attendance history (their CSV). */
export interface AttendanceHistoryRow {
  title: string;
  kind: TeachingKind;
  starts_at: Date;
  ends_at: Date;
  place: string;
  mandatory: boolean;
  phase: string | null;
  status: AttendanceRow['status'] | null;
  reason: string | null;
  document_filename: string | null;
}

/** What a new session is made of (its UPPs by id, its attendance key drawn by the caller). */
export interface NewSession {
  title: string;
  kind: string;
  startsAt: string;
  endsAt: string;
  place: string;
  promotions: number[];
  uppIds: string[];
  capacity: number | null;
  mandatory: boolean;
  phase: string | null;
  leadId: string;
  attendanceKey: Buffer;
  createdBy: string;
}

/** The justification document as stored. */
export interface JustificationDocument {
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
  storageKey: string;
}

/** Where an intern belongs, for the sessions that expect them. */
export interface InternPlace {
  promotion: number | null;
  uppId: string | null;
}

const SESSION_SQL = `SELECT s.id, s.title, s.kind, s.starts_at, s.ends_at, s.place, s.promotions, s.upp_ids, s.capacity, s.mandatory, s.phase, s.lead_id, s.attendance_key,
       l.first_name AS lead_first_name, l.last_name AS lead_last_name,
       (SELECT coalesce(array_agg(u.code ORDER BY u.code), '{}') FROM upp u WHERE u.id = ANY (s.upp_ids)) AS upp_codes,
       (SELECT count(*)::int FROM teaching_registration r WHERE r.session_id = s.id) AS registered
  FROM teaching_session s JOIN app_user l ON l.id = s.lead_id`;

const ATTENDANCE_COLUMNS = `intern_id, status, via, marked_at, reason, document_filename, document_mime_type, document_size, document_storage_key`;

/**
 * Teaching sessions, their registrations and their attendance (the absences' reasons and
 * documents with it: the callers decide who reads them).
 */
/**
 * Session `s` expects intern `u` (both SQL aliases): mandatory, of the intern's faculty, for their
 * promotion and UPP or for everyone. Progress, the PDF, the reminders and the attendance history
 * all judge by it; `libs/domain`'s teaching rule says the same in TypeScript.
 */
export const sessionExpects = (s: string, u: string) => `${s}.mandatory AND ${s}.faculty_id = ${u}.faculty_id
          AND (cardinality(${s}.promotions) = 0 OR ${u}.promotion = ANY (${s}.promotions))
          AND (cardinality(${s}.upp_ids) = 0 OR ${u}.upp_id = ANY (${s}.upp_ids))`;

@Injectable()
export class TeachingRepository {
  constructor(private readonly db: Database) {}

  /** The UPPs of these codes (those that exist). */
  async uppsByCode(codes: string[]): Promise<{ id: string; code: string }[]> {
    return codes.length ? this.db.query(`SELECT id, code FROM upp WHERE code = ANY ($1)`, [codes]) : [];
  }

  /** A new session; its id. */
  async insertSession(session: NewSession, tx?: Tx): Promise<string> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO teaching_session (title, kind, starts_at, ends_at, place, promotions, upp_ids, capacity, mandatory, phase, lead_id, attendance_key, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [session.title, session.kind, session.startsAt, session.endsAt, session.place, session.promotions, session.uppIds, session.capacity, session.mandatory, session.phase, session.leadId, session.attendanceKey, session.createdBy],
      tx,
    );
    return row.id;
  }

  /**
   * A page of the sessions the reader sees, by start, and their total: all of them for an admin;
   * otherwise those they lead, registered for, or (an intern) whose audience includes them.
   */
  async listForReader(reader: { userId: string; roles: readonly Role[] }, place: InternPlace, page: number, pageSize: number): Promise<{ rows: SessionRow[]; total: number }> {
    const admin = reader.roles.includes('admin');
    const where = admin
      ? 'TRUE'
      : `(s.lead_id = $1 OR EXISTS (SELECT 1 FROM teaching_registration r WHERE r.session_id = s.id AND r.intern_id = $1)
          OR ($2::boolean AND (cardinality(s.promotions) = 0 OR $3 = ANY (s.promotions)) AND (cardinality(s.upp_ids) = 0 OR $4 = ANY (s.upp_ids))))`;
    const params = admin ? [] : [reader.userId, reader.roles.includes('intern'), place.promotion, place.uppId];
    const [{ total }] = await this.db.query<{ total: number }>(`SELECT count(*)::int AS total FROM teaching_session s WHERE ${where}`, params);
    const rows = await this.db.query<SessionRow>(`${SESSION_SQL} WHERE ${where} ORDER BY s.starts_at, s.title LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, pageSize, (page - 1) * pageSize]);
    return { rows, total };
  }

  /** The session, or undefined. */
  async findSession(sessionId: string): Promise<SessionRow | undefined> {
    const [session] = await this.db.query<SessionRow>(`${SESSION_SQL} WHERE s.id = $1`, [sessionId]);
    return session;
  }

  /** The session's title, or undefined. */
  async titleOf(sessionId: string): Promise<string | undefined> {
    const [session] = await this.db.query<{ title: string }>(`SELECT title FROM teaching_session WHERE id = $1`, [sessionId]);
    return session?.title;
  }

  /** Whether the intern is registered for the session. */
  async isRegistered(sessionId: string, internId: string, tx?: Tx): Promise<boolean> {
    const [registration] = await this.db.query(`SELECT 1 FROM teaching_registration WHERE session_id = $1 AND intern_id = $2`, [sessionId, internId], tx);
    return Boolean(registration);
  }

  /** Which of these sessions the intern registered for. */
  async registeredAmong(internId: string, sessionIds: string[]): Promise<string[]> {
    if (!sessionIds.length) return [];
    const rows = await this.db.query<{ session_id: string }>(`SELECT session_id FROM teaching_registration WHERE intern_id = $1 AND session_id = ANY ($2)`, [internId, sessionIds]);
    return rows.map((r) => r.session_id);
  }

  /**
   * The session's capacity, its row locked: the lock concurrent registrations take, so they are
   * counted one after the other. Then: the seats taken, and whether the intern holds one.
   */
  async lockSeats(sessionId: string, internId: string, tx: Tx): Promise<{ capacity: number | null; taken: number; mine: boolean }> {
    const [locked] = await this.db.query<{ capacity: number | null }>(`SELECT capacity FROM teaching_session WHERE id = $1 FOR UPDATE`, [sessionId], tx);
    const [{ taken, mine }] = await this.db.query<{ taken: number; mine: boolean }>(
      `SELECT count(*)::int AS taken, coalesce(bool_or(intern_id = $2), false) AS mine FROM teaching_registration WHERE session_id = $1`,
      [sessionId, internId],
      tx,
    );
    return { capacity: locked.capacity, taken, mine };
  }

  async register(sessionId: string, internId: string, registeredBy: string, tx?: Tx): Promise<void> {
    await this.db.query(`INSERT INTO teaching_registration (session_id, intern_id, registered_by) VALUES ($1, $2, $3)`, [sessionId, internId, registeredBy], tx);
  }

  /** Removes the registration; whether there was one. */
  async unregister(sessionId: string, internId: string, tx?: Tx): Promise<boolean> {
    const [, removed] = (await this.db.query(`DELETE FROM teaching_registration WHERE session_id = $1 AND intern_id = $2`, [sessionId, internId], tx)) as unknown as [unknown, number];
    return Boolean(removed);
  }

  /** The intern's attendance at the session, or undefined; with `lock`, its row locked for the write that follows. */
  async attendanceAt(sessionId: string, internId: string, options: { lock?: boolean } = {}, tx?: Tx): Promise<AttendanceRow | undefined> {
    const [row] = options.lock
      ? await this.db.query<AttendanceRow>(`SELECT ${ATTENDANCE_COLUMNS} FROM teaching_attendance WHERE session_id = $1 AND intern_id = $2 FOR UPDATE`, [sessionId, internId], tx)
      : await this.db.query<AttendanceRow>(`SELECT ${ATTENDANCE_COLUMNS} FROM teaching_attendance WHERE session_id = $1 AND intern_id = $2`, [sessionId, internId], tx);
    return row;
  }

  /** The intern's attendance at these sessions, by session. */
  async attendanceOfIntern(internId: string, sessionIds: string[]): Promise<Map<string, AttendanceRow>> {
    if (!sessionIds.length) return new Map();
    const rows = await this.db.query<AttendanceRow & { session_id: string }>(`SELECT session_id, ${ATTENDANCE_COLUMNS} FROM teaching_attendance WHERE intern_id = $1 AND session_id = ANY ($2)`, [internId, sessionIds]);
    return new Map(rows.map((r) => [r.session_id, r]));
  }

  /** The lead's mark from the list: present or absent, a justification (reason, document) dropped. */
  async markFromList(sessionId: string, internId: string, present: boolean, markedBy: string, tx?: Tx): Promise<void> {
    await this.db.query(
      `INSERT INTO teaching_attendance (session_id, intern_id, status, via, marked_by) VALUES ($1, $2, $3, 'list', $4)
         ON CONFLICT (session_id, intern_id) DO UPDATE SET status = EXCLUDED.status, via = 'list', marked_by = EXCLUDED.marked_by, marked_at = now(),
           reason = NULL, document_filename = NULL, document_mime_type = NULL, document_size = NULL, document_sha256 = NULL, document_storage_key = NULL`,
      [sessionId, internId, present ? 'present' : 'absent', markedBy],
      tx,
    );
  }

  /**
   * The intern present by the room's code; undefined when they already were. Two scans at once:
   * the second finds the row present and updates nothing, so it is the replay.
   */
  async markScanned(sessionId: string, internId: string, tx?: Tx): Promise<AttendanceRow | undefined> {
    const [marked] = await this.db.query<AttendanceRow>(
      `INSERT INTO teaching_attendance (session_id, intern_id, status, via, marked_by) VALUES ($1, $2, 'present', 'code', $2)
         ON CONFLICT (session_id, intern_id) DO UPDATE SET status = 'present', via = 'code', marked_by = EXCLUDED.marked_by, marked_at = now(),
           reason = NULL, document_filename = NULL, document_mime_type = NULL, document_size = NULL, document_sha256 = NULL, document_storage_key = NULL
           WHERE teaching_attendance.status <> 'present'
         RETURNING ${ATTENDANCE_COLUMNS}`,
      [sessionId, internId],
      tx,
    );
    return marked;
  }

  /** The intern's absence, excused with their reason. */
  async markExcused(sessionId: string, internId: string, reason: string, tx?: Tx): Promise<void> {
    await this.db.query(
      `INSERT INTO teaching_attendance (session_id, intern_id, status, via, marked_by, reason) VALUES ($1, $2, 'excused', 'intern', $2, $3)
         ON CONFLICT (session_id, intern_id) DO UPDATE SET status = 'excused', via = 'intern', marked_by = EXCLUDED.marked_by, marked_at = now(), reason = EXCLUDED.reason`,
      [sessionId, internId, reason],
      tx,
    );
  }

  /** The document justifying the intern's absence, while it is excused; whether it was. */
  async attachJustification(sessionId: string, internId: string, document: JustificationDocument, tx?: Tx): Promise<boolean> {
    const [, updated] = (await this.db.query(
      `UPDATE teaching_attendance SET document_filename = $3, document_mime_type = $4, document_size = $5, document_sha256 = $6, document_storage_key = $7
              WHERE session_id = $1 AND intern_id = $2 AND status = 'excused'`,
      [sessionId, internId, document.filename, document.mimeType, document.size, document.sha256, document.storageKey],
      tx,
    )) as unknown as [unknown, number];
    return Boolean(updated);
  }

  /** The session's registered interns and their attendance, by name. */
  async roll(sessionId: string): Promise<RollRow[]> {
    return this.db.query<RollRow>(
      `SELECT u.id, u.first_name, u.last_name, u.promotion, a.status, a.via, a.marked_at, a.reason, a.document_filename, a.document_mime_type, a.document_size, a.document_storage_key
         FROM teaching_registration r JOIN app_user u ON u.id = r.intern_id
         LEFT JOIN teaching_attendance a ON a.session_id = r.session_id AND a.intern_id = r.intern_id
        WHERE r.session_id = $1 ORDER BY u.last_name, u.first_name`,
      [sessionId],
    );
  }

  /** The session's roll for its CSV: the interns' addresses, promotions and UPPs with it. */
  async rollForExport(sessionId: string): Promise<RollExportRow[]> {
    return this.db.query<RollExportRow>(
      `SELECT u.id, u.first_name, u.last_name, u.email, u.promotion, p.code AS upp, a.status, a.via, a.marked_at, a.reason, a.document_filename, a.document_storage_key
         FROM teaching_registration r JOIN app_user u ON u.id = r.intern_id LEFT JOIN upp p ON p.id = u.upp_id
         LEFT JOIN teaching_attendance a ON a.session_id = r.session_id AND a.intern_id = r.intern_id
        WHERE r.session_id = $1 ORDER BY u.last_name, u.first_name`,
      [sessionId],
    );
  }

  /** An intern's attendance across sessions: those they were marked at or registered for, and the mandatory ones expecting them. */
  async attendanceHistoryOf(internId: string): Promise<AttendanceHistoryRow[]> {
    return this.db.query<AttendanceHistoryRow>(
      `SELECT s.title, s.kind, s.starts_at, s.ends_at, s.place, s.mandatory, s.phase, a.status, a.reason, a.document_filename
           FROM teaching_session s JOIN app_user u ON u.id = $1
           LEFT JOIN teaching_attendance a ON a.session_id = s.id AND a.intern_id = $1
          WHERE a.intern_id IS NOT NULL OR EXISTS (SELECT 1 FROM teaching_registration r WHERE r.session_id = s.id AND r.intern_id = $1)
             OR (${sessionExpects('s', 'u')})
          ORDER BY s.starts_at`,
      [internId],
    );
  }
}
