import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import QRCode from 'qrcode';
import { DataSource, EntityManager } from 'typeorm';
import { CARNET_CONFIG } from '@carnet/config';
import type { AttendanceCodeView, AttendanceScanResult, TeachingAttendanceView, TeachingSessionView } from '@carnet/contracts';
import {
  absenceReasonErrors,
  assertTeachingSession,
  ATTENDANCE_SLOT_SECONDS,
  ATTENDANCE_STATUS_LABELS,
  ATTENDANCE_VIA_LABELS,
  attendanceSlot,
  attendanceWindow,
  csvLine,
  displayName,
  DomainError,
  ErrorCode,
  expectsIntern,
  notFound,
  PHASE_LABELS,
  readsAbsenceReasons,
  scanRefusal,
  scanRefusalMessage,
  sessionWhen,
  TEACHING_KIND_WORDS,
  TeachingKind,
} from '@carnet/domain';
import { ResolvedConfig } from '@carnet/infrastructure';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import { PortfolioAccessService } from '../portfolios/portfolio-access.service';
import { receiveDocument } from '../thesis/thesis-upload';
import { attendanceCodeGenuine, mintAttendanceCode, readAttendanceCode } from './attendance-code';
import type { TeachingSessionBody } from './teaching.dto';

interface SessionRow {
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

interface AttendanceRow {
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

/** The requester's place at a session: its lead, an admin of the faculty, or an intern it expects or who registered. */
type SessionRole = 'lead' | 'admin' | 'intern';

const SESSION_SQL = `SELECT s.id, s.title, s.kind, s.starts_at, s.ends_at, s.place, s.promotions, s.upp_ids, s.capacity, s.mandatory, s.phase, s.lead_id, s.attendance_key,
       l.first_name AS lead_first_name, l.last_name AS lead_last_name,
       (SELECT coalesce(array_agg(u.code ORDER BY u.code), '{}') FROM upp u WHERE u.id = ANY (s.upp_ids)) AS upp_codes,
       (SELECT count(*)::int FROM teaching_registration r WHERE r.session_id = s.id) AS registered
  FROM teaching_session s JOIN app_user l ON l.id = s.lead_id`;

const ATTENDANCE_COLUMNS = `intern_id, status, via, marked_at, reason, document_filename, document_mime_type, document_size, document_storage_key`;

const onlyLead = () => new DomainError(ErrorCode.Forbidden, 'Seul le responsable de la séance relève les présences.');
const BOM = '\uFEFF';
const parisDateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });

function attendanceView(row: AttendanceRow | undefined | null): TeachingAttendanceView | null {
  if (!row) return null;
  return {
    status: row.status,
    via: row.via,
    markedAt: new Date(row.marked_at).toISOString(),
    reason: row.reason,
    document: row.document_storage_key ? { filename: row.document_filename!, size: row.document_size!, mimeType: row.document_mime_type! } : null,
  };
}

/**
 * Teaching sessions: the admin publishes them, interns register (the last seat to one of them),
 * the lead takes attendance from the list or by the rotating code shown in the room, interns
 * justify an absence. Outside a session's audience nothing of it is visible (404).
 */
@Injectable()
export class TeachingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly access: PortfolioAccessService,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthContext, body: TeachingSessionBody): Promise<TeachingSessionView> {
    assertTeachingSession(body);
    const codes = [...new Set(body.uppCodes.map((c) => c.trim()))];
    const upps: { id: string; code: string }[] = codes.length ? await this.dataSource.query(`SELECT id, code FROM upp WHERE code = ANY ($1)`, [codes]) : [];
    const unknown = codes.filter((code) => !upps.some((u) => u.code === code));
    const [lead]: { id: string }[] = await this.dataSource.query(`SELECT id FROM app_user WHERE id = $1`, [body.leadId]);
    const errors = [...unknown.map((code) => ({ path: `uppCodes.${body.uppCodes.indexOf(code)}`, message: `aucune UPP avec le code « ${code} »` })), ...(lead ? [] : [{ path: 'leadId', message: 'aucun compte avec cet identifiant' }])];
    if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'La séance est invalide.', errors);
    const id = await this.dataSource.transaction(async (manager) => {
      const [row]: { id: string }[] = await manager.query(
        `INSERT INTO teaching_session (title, kind, starts_at, ends_at, place, promotions, upp_ids, capacity, mandatory, phase, lead_id, attendance_key, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
        [body.title.trim(), body.kind, body.startsAt, body.endsAt, body.place.trim(), [...new Set(body.promotions)], upps.map((u) => u.id), body.capacity ?? null, body.mandatory, body.phase ?? null, body.leadId, randomBytes(32), auth.userId],
      );
      await this.audit.record(auth, { action: 'teaching_session.create', subjectType: 'teaching_session', subjectId: row.id, details: { kind: body.kind, startsAt: body.startsAt, leadId: body.leadId, mandatory: body.mandatory } }, manager);
      return row.id;
    });
    return this.get(auth, id);
  }

  async list(auth: AuthContext, page: number, pageSize: number): Promise<{ items: TeachingSessionView[]; total: number; page: number; pageSize: number }> {
    const me = await this.me(auth);
    const where = auth.roles.includes('admin')
      ? 'TRUE'
      : `(s.lead_id = $1 OR EXISTS (SELECT 1 FROM teaching_registration r WHERE r.session_id = s.id AND r.intern_id = $1)
          OR ($2::boolean AND (cardinality(s.promotions) = 0 OR $3 = ANY (s.promotions)) AND (cardinality(s.upp_ids) = 0 OR $4 = ANY (s.upp_ids))))`;
    const params = auth.roles.includes('admin') ? [] : [auth.userId, auth.roles.includes('intern'), me.promotion, me.uppId];
    const [{ total }]: { total: number }[] = await this.dataSource.query(`SELECT count(*)::int AS total FROM teaching_session s WHERE ${where}`, params);
    const rows: SessionRow[] = await this.dataSource.query(`${SESSION_SQL} WHERE ${where} ORDER BY s.starts_at, s.title LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, pageSize, (page - 1) * pageSize]);
    const mine = await this.attendanceOf(rows.map((r) => r.id), auth.userId);
    const registered: { session_id: string }[] = rows.length ? await this.dataSource.query(`SELECT session_id FROM teaching_registration WHERE intern_id = $1 AND session_id = ANY ($2)`, [auth.userId, rows.map((r) => r.id)]) : [];
    const now = new Date();
    return {
      items: rows.map((row) => this.view(row, this.roleOf(auth, row, me, registered.some((r) => r.session_id === row.id)) ?? 'intern', auth, me, { registered: registered.some((r) => r.session_id === row.id), attendance: mine.get(row.id) ?? null }, now)),
      total,
      page,
      pageSize,
    };
  }

  async get(auth: AuthContext, sessionId: string, now = new Date()): Promise<TeachingSessionView> {
    const { session, role, me, registered } = await this.session(auth, sessionId);
    const mine = (await this.attendanceOf([sessionId], auth.userId)).get(sessionId) ?? null;
    const view = this.view(session, role, auth, me, { registered, attendance: mine }, now);
    if (role === 'lead' || role === 'admin') view.roll = await this.roll(sessionId);
    return view;
  }

  /** An intern registers themselves (before the start), or an admin registers one; the last seat goes to one request only. */
  async register(auth: AuthContext, sessionId: string, internId: string | undefined, now = new Date()): Promise<TeachingSessionView> {
    const { session, role } = await this.session(auth, sessionId);
    const asAdmin = auth.roles.includes('admin') && internId !== undefined && internId !== auth.userId;
    const target = asAdmin ? internId! : auth.userId;
    if (!asAdmin) {
      if (!auth.roles.includes('intern')) throw new DomainError(ErrorCode.InvalidInput, 'L’inscription est invalide.', [{ path: 'internId', message: 'l’interne à inscrire est requis' }]);
      if (role !== 'intern' && role !== 'admin') throw new DomainError(ErrorCode.Forbidden, 'Seuls les internes attendus s’inscrivent à une séance.');
      if (session.starts_at <= now) throw new DomainError(ErrorCode.Conflict, `Les inscriptions à « ${session.title} » sont closes : la séance a commencé.`);
    } else {
      const [intern]: { roles: string[] }[] = await this.dataSource.query(`SELECT roles FROM app_user WHERE id = $1`, [target]);
      if (!intern?.roles.includes('intern')) throw new DomainError(ErrorCode.InvalidInput, 'L’inscription est invalide.', [{ path: 'internId', message: 'aucun interne avec ce compte' }]);
    }
    await this.dataSource.transaction(async (manager) => {
      // The session's row is the lock: concurrent registrations are counted one after the other.
      const [locked]: { capacity: number | null }[] = await manager.query(`SELECT capacity FROM teaching_session WHERE id = $1 FOR UPDATE`, [sessionId]);
      const [{ taken, mine }]: { taken: number; mine: boolean }[] = await manager.query(
        `SELECT count(*)::int AS taken, coalesce(bool_or(intern_id = $2), false) AS mine FROM teaching_registration WHERE session_id = $1`,
        [sessionId, target],
      );
      if (mine) throw new DomainError(ErrorCode.Conflict, asAdmin ? `Cet interne est déjà inscrit à « ${session.title} ».` : `Vous êtes déjà inscrit(e) à « ${session.title} ».`);
      if (locked.capacity !== null && taken >= locked.capacity) {
        throw new DomainError(ErrorCode.Conflict, `La séance « ${session.title} » est complète : ${locked.capacity} place${locked.capacity > 1 ? 's' : ''}, toutes prises.`);
      }
      await manager.query(`INSERT INTO teaching_registration (session_id, intern_id, registered_by) VALUES ($1, $2, $3)`, [sessionId, target, auth.userId]);
      await this.audit.record(auth, { action: 'teaching_registration.create', subjectType: 'teaching_session', subjectId: sessionId, details: { internId: target } }, manager);
    });
    return this.get(auth, sessionId);
  }

  async unregister(auth: AuthContext, sessionId: string, internId: string, now = new Date()): Promise<void> {
    const { session, role } = await this.session(auth, sessionId);
    const self = internId === auth.userId;
    if (!self && role !== 'admin') throw notFound('Inscription');
    if (self && role !== 'admin' && session.starts_at <= now) throw new DomainError(ErrorCode.Conflict, `La séance « ${session.title} » a commencé : l’inscription ne se retire plus.`);
    await this.dataSource.transaction(async (manager) => {
      const [, removed]: [unknown, number] = await manager.query(`DELETE FROM teaching_registration WHERE session_id = $1 AND intern_id = $2`, [sessionId, internId]);
      if (!removed) throw notFound('Inscription');
      await this.audit.record(auth, { action: 'teaching_registration.delete', subjectType: 'teaching_session', subjectId: sessionId, details: { internId } }, manager);
    });
  }

  /** The lead ticks a registered intern present or absent (again to correct it); an absence the intern justified stays justified. */
  async mark(auth: AuthContext, sessionId: string, internId: string, present: boolean): Promise<TeachingSessionView> {
    const { role } = await this.session(auth, sessionId);
    if (role !== 'lead') throw onlyLead();
    const dropped = await this.dataSource.transaction(async (manager) => {
      const [registration] = await manager.query(`SELECT 1 FROM teaching_registration WHERE session_id = $1 AND intern_id = $2`, [sessionId, internId]);
      if (!registration) throw notFound('Interne inscrit');
      const [before]: AttendanceRow[] = await manager.query(`SELECT ${ATTENDANCE_COLUMNS} FROM teaching_attendance WHERE session_id = $1 AND intern_id = $2 FOR UPDATE`, [sessionId, internId]);
      if (!present && before?.status === 'excused') return null;
      await manager.query(
        `INSERT INTO teaching_attendance (session_id, intern_id, status, via, marked_by) VALUES ($1, $2, $3, 'list', $4)
         ON CONFLICT (session_id, intern_id) DO UPDATE SET status = EXCLUDED.status, via = 'list', marked_by = EXCLUDED.marked_by, marked_at = now(),
           reason = NULL, document_filename = NULL, document_mime_type = NULL, document_size = NULL, document_sha256 = NULL, document_storage_key = NULL`,
        [sessionId, internId, present ? 'present' : 'absent', auth.userId],
      );
      await this.audit.record(auth, { action: 'teaching_attendance.mark', subjectType: 'teaching_session', subjectId: sessionId, details: { internId, present } }, manager);
      return before?.document_storage_key ?? null;
    });
    // Seen in the room after all: the justification's document has no use left.
    if (dropped) await this.storage.delete(dropped).catch(() => undefined);
    return this.get(auth, sessionId);
  }

  /** The code the lead shows in the room, during the session only; it changes every slot. */
  async attendanceCode(auth: AuthContext, sessionId: string, now = new Date()): Promise<AttendanceCodeView> {
    const { session, role } = await this.session(auth, sessionId);
    if (role !== 'lead') throw onlyLead();
    const { opensAt, closesAt } = attendanceWindow({ startsAt: session.starts_at, endsAt: session.ends_at });
    if (now < opensAt || now > closesAt) {
      throw new DomainError(ErrorCode.Conflict, `Le code de présence s’affiche pendant la séance (et le quart d’heure avant) : ${sessionWhen(session.starts_at, session.ends_at)}.`);
    }
    const slot = attendanceSlot(now);
    const code = mintAttendanceCode(session.id, slot, session.attendance_key, this.config.secretKey);
    const url = `${this.config.http.publicUrl}/presence/${code}`;
    const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { code, url, svg, rotatesAt: new Date((slot + 1) * ATTENDANCE_SLOT_SECONDS * 1000).toISOString() };
  }

  /** An intern scans the room's code: present, once, during the session, for the session it names. */
  async scan(auth: AuthContext, code: string, expectedSessionId: string | null, now = new Date()): Promise<AttendanceScanResult> {
    const unknownCode = () => new DomainError(ErrorCode.InvalidToken, 'Ce code de présence n’est pas reconnu : scannez à nouveau le code affiché dans la salle.');
    const claim = readAttendanceCode(code.trim());
    if (!claim) throw unknownCode();
    const [session]: SessionRow[] = await this.dataSource.query(`${SESSION_SQL} WHERE s.id = $1`, [claim.sessionId]);
    if (!session || !attendanceCodeGenuine(claim, session.attendance_key, this.config.secretKey)) throw unknownCode();
    let expectedTitle: string | undefined;
    if (expectedSessionId && expectedSessionId !== session.id) {
      const [expected]: { title: string }[] = await this.dataSource.query(`SELECT title FROM teaching_session WHERE id = $1`, [expectedSessionId]);
      expectedTitle = expected?.title;
    }
    const times = { startsAt: session.starts_at, endsAt: session.ends_at };
    const refuse = (refusal: NonNullable<ReturnType<typeof scanRefusal>>) => {
      const message = scanRefusalMessage(refusal, { title: session.title, ...times }, expectedTitle);
      const code = refusal === 'expired' ? ErrorCode.InvalidToken : refusal === 'not_registered' ? ErrorCode.Forbidden : ErrorCode.Conflict;
      return new DomainError(code, message);
    };
    const row = await this.dataSource.transaction(async (manager) => {
      const [registration] = await manager.query(`SELECT 1 FROM teaching_registration WHERE session_id = $1 AND intern_id = $2`, [session.id, auth.userId]);
      const [before]: AttendanceRow[] = await manager.query(`SELECT ${ATTENDANCE_COLUMNS} FROM teaching_attendance WHERE session_id = $1 AND intern_id = $2`, [session.id, auth.userId]);
      const refusal = scanRefusal({ session: { id: session.id, ...times }, codeSlot: claim.slot, now, expectedSessionId, registered: Boolean(registration), attendance: before ? { status: before.status, via: before.via === 'code' ? 'code' : 'list' } : null });
      if (refusal) throw refuse(refusal);
      // Two scans at once: the second finds the row present and updates nothing, so it is the replay.
      const [marked]: AttendanceRow[] = await manager.query(
        `INSERT INTO teaching_attendance (session_id, intern_id, status, via, marked_by) VALUES ($1, $2, 'present', 'code', $2)
         ON CONFLICT (session_id, intern_id) DO UPDATE SET status = 'present', via = 'code', marked_by = EXCLUDED.marked_by, marked_at = now(),
           reason = NULL, document_filename = NULL, document_mime_type = NULL, document_size = NULL, document_sha256 = NULL, document_storage_key = NULL
           WHERE teaching_attendance.status <> 'present'
         RETURNING ${ATTENDANCE_COLUMNS}`,
        [session.id, auth.userId],
      );
      if (!marked) throw refuse('replay');
      await this.audit.record(auth, { action: 'teaching_attendance.scan', subjectType: 'teaching_session', subjectId: session.id, details: { slot: claim.slot } }, manager);
      return marked;
    });
    return { session: { id: session.id, title: session.title, startsAt: session.starts_at.toISOString(), endsAt: session.ends_at.toISOString(), place: session.place }, attendance: attendanceView(row)! };
  }

  /** The intern justifies their absence with a reason (a document may follow); a presence stays a presence. */
  async justify(auth: AuthContext, sessionId: string, reason: string): Promise<TeachingSessionView> {
    const { session, role } = await this.session(auth, sessionId);
    if (role !== 'intern' && role !== 'admin') throw new DomainError(ErrorCode.Forbidden, 'Seul l’interne justifie son absence.');
    const errors = absenceReasonErrors(reason);
    if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'La justification est invalide.', errors);
    await this.dataSource.transaction(async (manager) => {
      const [before]: AttendanceRow[] = await manager.query(`SELECT ${ATTENDANCE_COLUMNS} FROM teaching_attendance WHERE session_id = $1 AND intern_id = $2 FOR UPDATE`, [sessionId, auth.userId]);
      if (before?.status === 'present') throw new DomainError(ErrorCode.Conflict, `Vous êtes noté(e) présent(e) à « ${session.title} » : il n’y a pas d’absence à justifier.`);
      await manager.query(
        `INSERT INTO teaching_attendance (session_id, intern_id, status, via, marked_by, reason) VALUES ($1, $2, 'excused', 'intern', $2, $3)
         ON CONFLICT (session_id, intern_id) DO UPDATE SET status = 'excused', via = 'intern', marked_by = EXCLUDED.marked_by, marked_at = now(), reason = EXCLUDED.reason`,
        [sessionId, auth.userId, reason.trim()],
      );
      await this.audit.record(auth, { action: 'teaching_absence.justify', subjectType: 'teaching_session', subjectId: sessionId, details: { internId: auth.userId } }, manager);
    });
    return this.get(auth, sessionId);
  }

  async uploadJustification(auth: AuthContext, sessionId: string, request: FastifyRequest): Promise<TeachingSessionView> {
    const { session } = await this.session(auth, sessionId);
    const [before]: AttendanceRow[] = await this.dataSource.query(`SELECT ${ATTENDANCE_COLUMNS} FROM teaching_attendance WHERE session_id = $1 AND intern_id = $2`, [sessionId, auth.userId]);
    if (before?.status !== 'excused') throw new DomainError(ErrorCode.Conflict, `Donnez d’abord le motif de votre absence à « ${session.title} », puis joignez le justificatif.`);
    const received = await receiveDocument(request);
    const storageKey = `teaching/${sessionId}/${auth.userId}/${randomUUID()}`;
    try {
      await this.storage.put(storageKey, createReadStream(received.file), received.size, received.mimeType).catch(async (error: unknown) => {
        await this.storage.delete(storageKey).catch(() => undefined);
        throw new DomainError(ErrorCode.StorageUnavailable, 'Le stockage des fichiers est indisponible : réessayez dans un moment.', undefined, error);
      });
      try {
        await this.dataSource.transaction(async (manager) => {
          const [, updated]: [unknown, number] = await manager.query(
            `UPDATE teaching_attendance SET document_filename = $3, document_mime_type = $4, document_size = $5, document_sha256 = $6, document_storage_key = $7
              WHERE session_id = $1 AND intern_id = $2 AND status = 'excused'`,
            [sessionId, auth.userId, received.filename, received.mimeType, received.size, received.sha256, storageKey],
          );
          if (!updated) throw new DomainError(ErrorCode.Conflict, 'L’absence n’est plus à justifier : le responsable vous a noté(e) présent(e).');
          await this.audit.record(auth, { action: 'teaching_absence.document', subjectType: 'teaching_session', subjectId: sessionId, details: { sha256: received.sha256, size: received.size } }, manager);
        });
      } catch (error) {
        await this.storage.delete(storageKey).catch(() => undefined);
        throw error;
      }
    } finally {
      await fs.rm(received.file, { force: true });
    }
    if (before.document_storage_key) await this.storage.delete(before.document_storage_key).catch(() => undefined);
    return this.get(auth, sessionId);
  }

  async justification(auth: AuthContext, sessionId: string, internId: string): Promise<{ document: { filename: string; mimeType: string; size: number }; redirect?: string; stream?: Readable }> {
    const { role } = await this.session(auth, sessionId);
    if (internId !== auth.userId && role !== 'lead' && role !== 'admin') throw notFound('Justificatif');
    const [row]: AttendanceRow[] = await this.dataSource.query(`SELECT ${ATTENDANCE_COLUMNS} FROM teaching_attendance WHERE session_id = $1 AND intern_id = $2`, [sessionId, internId]);
    if (!row?.document_storage_key) throw notFound('Justificatif');
    await this.audit.record(auth, { action: 'teaching_absence.document_read', subjectType: 'teaching_session', subjectId: sessionId, details: { internId } });
    const document = { filename: row.document_filename!, mimeType: row.document_mime_type!, size: row.document_size! };
    const redirect = await this.storage.signedUrl(row.document_storage_key, 300, document.filename);
    if (redirect) return { document, redirect };
    return { document, stream: await this.storage.get(row.document_storage_key) };
  }

  /** The session's roll for French Excel: one line per registered intern. */
  async sessionCsv(auth: AuthContext, sessionId: string): Promise<{ filename: string; body: string }> {
    const { session, role } = await this.session(auth, sessionId);
    if (role !== 'lead' && role !== 'admin') throw notFound('Séance');
    const rows: (AttendanceRow & { id: string; first_name: string; last_name: string; email: string; promotion: number | null; upp: string | null })[] = await this.dataSource.query(
      `SELECT u.id, u.first_name, u.last_name, u.email, u.promotion, p.code AS upp, a.status, a.via, a.marked_at, a.reason, a.document_filename, a.document_storage_key
         FROM teaching_registration r JOIN app_user u ON u.id = r.intern_id LEFT JOIN upp p ON p.id = u.upp_id
         LEFT JOIN teaching_attendance a ON a.session_id = r.session_id AND a.intern_id = r.intern_id
        WHERE r.session_id = $1 ORDER BY u.last_name, u.first_name`,
      [sessionId],
    );
    const lines = [
      csvLine(['Nom', 'Prénom', 'Courriel', 'Promotion', 'UPP', 'Présence', 'Relevé', 'Motif d’absence', 'Justificatif']),
      ...rows.map((r) =>
        csvLine([r.last_name, r.first_name, r.email, r.promotion, r.upp, ATTENDANCE_STATUS_LABELS[r.status ?? 'unmarked'], r.via ? ATTENDANCE_VIA_LABELS[r.via] : '', r.reason, r.document_filename]),
      ),
    ];
    await this.audit.record(auth, { action: 'teaching_attendance.export', subjectType: 'teaching_session', subjectId: sessionId, details: { rows: rows.length } });
    return { filename: `presences-${session.starts_at.toISOString().slice(0, 10)}-${session.id.slice(0, 8)}.csv`, body: BOM + lines.join('\r\n') + '\r\n' };
  }

  /** An intern's attendance across sessions (those they registered for, or mandatory ones expecting them). */
  async internCsv(auth: AuthContext, internId: string): Promise<{ filename: string; body: string }> {
    const { relation } = await this.access.relation(auth, internId);
    const reasons = readsAbsenceReasons(relation);
    const rows: { title: string; kind: TeachingKind; starts_at: Date; ends_at: Date; place: string; mandatory: boolean; phase: string | null; status: AttendanceRow['status'] | null; reason: string | null; document_filename: string | null }[] =
      await this.dataSource.query(
        `SELECT s.title, s.kind, s.starts_at, s.ends_at, s.place, s.mandatory, s.phase, a.status, a.reason, a.document_filename
           FROM teaching_session s JOIN app_user u ON u.id = $1
           LEFT JOIN teaching_attendance a ON a.session_id = s.id AND a.intern_id = $1
          WHERE a.intern_id IS NOT NULL OR EXISTS (SELECT 1 FROM teaching_registration r WHERE r.session_id = s.id AND r.intern_id = $1)
             OR (s.mandatory AND (cardinality(s.promotions) = 0 OR u.promotion = ANY (s.promotions)) AND (cardinality(s.upp_ids) = 0 OR u.upp_id = ANY (s.upp_ids)))
          ORDER BY s.starts_at`,
        [internId],
      );
    const lines = [
      csvLine(['Séance', 'Type', 'Début', 'Fin', 'Lieu', 'Obligatoire', 'Phase', 'Présence', 'Motif d’absence', 'Justificatif']),
      ...rows.map((r) =>
        csvLine([
          r.title,
          TEACHING_KIND_WORDS[r.kind].label,
          parisDateTime.format(r.starts_at),
          parisDateTime.format(r.ends_at),
          r.place,
          r.mandatory ? 'oui' : 'non',
          r.phase ? PHASE_LABELS[r.phase] : '',
          ATTENDANCE_STATUS_LABELS[r.status ?? 'unmarked'],
          reasons ? r.reason : null,
          reasons ? r.document_filename : null,
        ]),
      ),
    ];
    if (relation !== 'self') await this.audit.record(auth, { action: 'portfolio.read', subjectType: 'portfolio', subjectId: internId, details: { what: 'teaching_attendance', as: relation } });
    return { filename: `presences-interne-${internId.slice(0, 8)}.csv`, body: BOM + lines.join('\r\n') + '\r\n' };
  }

  private view(row: SessionRow, role: SessionRole, auth: AuthContext, me: { promotion: number | null; uppId: string | null }, mine: { registered: boolean; attendance: AttendanceRow | null }, now: Date): TeachingSessionView {
    const isIntern = auth.roles.includes('intern');
    const expected = isIntern && expectsIntern({ promotions: row.promotions, uppIds: row.upp_ids }, me);
    const full = row.capacity !== null && row.registered >= row.capacity;
    return {
      id: row.id,
      title: row.title,
      kind: row.kind,
      startsAt: row.starts_at.toISOString(),
      endsAt: row.ends_at.toISOString(),
      place: row.place,
      promotions: row.promotions,
      uppCodes: row.upp_codes,
      capacity: row.capacity,
      mandatory: row.mandatory,
      phase: row.phase,
      lead: { id: row.lead_id, displayName: displayName({ firstName: row.lead_first_name, lastName: row.lead_last_name }) },
      registered: row.registered,
      ...(isIntern ? { mine: { expected, registered: mine.registered, attendance: attendanceView(mine.attendance) } } : {}),
      canRegister: isIntern && expected && !mine.registered && !full && row.starts_at > now,
      canTakeAttendance: role === 'lead',
    };
  }

  private async roll(sessionId: string): Promise<NonNullable<TeachingSessionView['roll']>> {
    const rows: (AttendanceRow & { id: string; first_name: string; last_name: string; promotion: number | null })[] = await this.dataSource.query(
      `SELECT u.id, u.first_name, u.last_name, u.promotion, a.status, a.via, a.marked_at, a.reason, a.document_filename, a.document_mime_type, a.document_size, a.document_storage_key
         FROM teaching_registration r JOIN app_user u ON u.id = r.intern_id
         LEFT JOIN teaching_attendance a ON a.session_id = r.session_id AND a.intern_id = r.intern_id
        WHERE r.session_id = $1 ORDER BY u.last_name, u.first_name`,
      [sessionId],
    );
    return rows.map((r) => ({ intern: { id: r.id, displayName: displayName({ firstName: r.first_name, lastName: r.last_name }), promotion: r.promotion }, attendance: r.status ? attendanceView(r) : null }));
  }

  private async attendanceOf(sessionIds: string[], internId: string): Promise<Map<string, AttendanceRow>> {
    if (!sessionIds.length) return new Map();
    const rows: (AttendanceRow & { session_id: string })[] = await this.dataSource.query(`SELECT session_id, ${ATTENDANCE_COLUMNS} FROM teaching_attendance WHERE intern_id = $1 AND session_id = ANY ($2)`, [internId, sessionIds]);
    return new Map(rows.map((r) => [r.session_id, r]));
  }

  private async me(auth: AuthContext): Promise<{ promotion: number | null; uppId: string | null }> {
    const [me]: { promotion: number | null; upp_id: string | null }[] = await this.dataSource.query(`SELECT promotion, upp_id FROM app_user WHERE id = $1`, [auth.userId]);
    return { promotion: me?.promotion ?? null, uppId: me?.upp_id ?? null };
  }

  private roleOf(auth: AuthContext, session: SessionRow, me: { promotion: number | null; uppId: string | null }, registered: boolean): SessionRole | null {
    if (session.lead_id === auth.userId) return 'lead';
    if (auth.roles.includes('admin')) return 'admin';
    if (auth.roles.includes('intern') && (registered || expectsIntern({ promotions: session.promotions, uppIds: session.upp_ids }, me))) return 'intern';
    return null;
  }

  private async session(auth: AuthContext, sessionId: string, manager?: EntityManager): Promise<{ session: SessionRow; role: SessionRole; me: { promotion: number | null; uppId: string | null }; registered: boolean }> {
    const runner = manager ?? this.dataSource;
    const [session]: SessionRow[] = await runner.query(`${SESSION_SQL} WHERE s.id = $1`, [sessionId]);
    if (!session) throw notFound('Séance');
    const me = await this.me(auth);
    const [registration] = await runner.query(`SELECT 1 FROM teaching_registration WHERE session_id = $1 AND intern_id = $2`, [sessionId, auth.userId]);
    const role = this.roleOf(auth, session, me, Boolean(registration));
    if (!role) throw notFound('Séance');
    return { session, role, me, registered: Boolean(registration) };
  }
}
