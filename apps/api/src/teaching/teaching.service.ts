import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import QRCode from 'qrcode';
import { CARNET_CONFIG } from '@carnet/config';
import { AttendanceRow, InternPlace, SessionRow, TeachingRepository, Transactions, UserRepository } from '@carnet/database';
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
} from '@carnet/domain';
import { ResolvedConfig } from '@carnet/infrastructure';
import { STORAGE_DRIVER, StorageDriver } from '@carnet/storage';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import { PortfolioAccessService } from '../portfolios/portfolio-access.service';
import { storeFile } from '../common/upload';
import { receiveDocument } from '../thesis/thesis-upload';
import { attendanceCodeGenuine, mintAttendanceCode, readAttendanceCode } from './attendance-code';
import type { TeachingSessionBody } from './teaching.dto';

/** The requester's place at a session: its lead, an admin of the faculty, or an intern it expects or who registered. */
type SessionRole = 'lead' | 'admin' | 'intern';

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
    private readonly sessions: TeachingRepository,
    private readonly users: UserRepository,
    private readonly transactions: Transactions,
    @Inject(CARNET_CONFIG) private readonly config: ResolvedConfig,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    private readonly access: PortfolioAccessService,
    private readonly audit: AuditService,
  ) {}

  async create(auth: AuthContext, body: TeachingSessionBody): Promise<TeachingSessionView> {
    assertTeachingSession(body);
    const codes = [...new Set(body.uppCodes.map((c) => c.trim()))];
    const upps = await this.sessions.uppsByCode(codes);
    const unknown = codes.filter((code) => !upps.some((u) => u.code === code));
    const lead = (await this.users.byId(body.leadId)) !== null;
    const errors = [...unknown.map((code) => ({ path: `uppCodes.${body.uppCodes.indexOf(code)}`, message: `aucune UPP avec le code « ${code} »` })), ...(lead ? [] : [{ path: 'leadId', message: 'aucun compte avec cet identifiant' }])];
    if (errors.length) throw new DomainError(ErrorCode.InvalidInput, 'La séance est invalide.', errors);
    const id = await this.transactions.run(async (tx) => {
      const id = await this.sessions.insertSession(
        {
          title: body.title.trim(),
          kind: body.kind,
          startsAt: body.startsAt,
          endsAt: body.endsAt,
          place: body.place.trim(),
          promotions: [...new Set(body.promotions)],
          uppIds: upps.map((u) => u.id),
          capacity: body.capacity ?? null,
          mandatory: body.mandatory,
          phase: body.phase ?? null,
          leadId: body.leadId,
          attendanceKey: randomBytes(32),
          createdBy: auth.userId,
        },
        tx,
      );
      await this.audit.record(auth, { action: 'teaching_session.create', subjectType: 'teaching_session', subjectId: id, details: { kind: body.kind, startsAt: body.startsAt, leadId: body.leadId, mandatory: body.mandatory } }, tx);
      return id;
    });
    return this.get(auth, id);
  }

  async list(auth: AuthContext, page: number, pageSize: number): Promise<{ items: TeachingSessionView[]; total: number; page: number; pageSize: number }> {
    const me = await this.me(auth);
    const { rows, total } = await this.sessions.listForReader({ userId: auth.userId, roles: auth.roles }, me, page, pageSize);
    const mine = await this.sessions.attendanceOfIntern(auth.userId, rows.map((r) => r.id));
    const registered = await this.sessions.registeredAmong(auth.userId, rows.map((r) => r.id));
    const now = new Date();
    return {
      items: rows.map((row) => this.view(row, this.roleOf(auth, row, me, registered.includes(row.id)) ?? 'intern', auth, me, { registered: registered.includes(row.id), attendance: mine.get(row.id) ?? null }, now)),
      total,
      page,
      pageSize,
    };
  }

  async get(auth: AuthContext, sessionId: string, now = new Date()): Promise<TeachingSessionView> {
    const { session, role, me, registered } = await this.session(auth, sessionId);
    const mine = (await this.sessions.attendanceOfIntern(auth.userId, [sessionId])).get(sessionId) ?? null;
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
      const roles = (await this.users.byId(target))?.roles ?? null;
      if (!roles?.includes('intern')) throw new DomainError(ErrorCode.InvalidInput, 'L’inscription est invalide.', [{ path: 'internId', message: 'aucun interne avec ce compte' }]);
    }
    await this.transactions.run(async (tx) => {
      // The session's row is the lock: concurrent registrations are counted one after the other.
      const { capacity, taken, mine } = await this.sessions.lockSeats(sessionId, target, tx);
      if (mine) throw new DomainError(ErrorCode.Conflict, asAdmin ? `Cet interne est déjà inscrit à « ${session.title} ».` : `Vous êtes déjà inscrit(e) à « ${session.title} ».`);
      if (capacity !== null && taken >= capacity) {
        throw new DomainError(ErrorCode.Conflict, `La séance « ${session.title} » est complète : ${capacity} place${capacity > 1 ? 's' : ''}, toutes prises.`);
      }
      await this.sessions.register(sessionId, target, auth.userId, tx);
      await this.audit.record(auth, { action: 'teaching_registration.create', subjectType: 'teaching_session', subjectId: sessionId, details: { internId: target } }, tx);
    });
    return this.get(auth, sessionId);
  }

  async unregister(auth: AuthContext, sessionId: string, internId: string, now = new Date()): Promise<void> {
    const { session, role } = await this.session(auth, sessionId);
    const self = internId === auth.userId;
    if (!self && role !== 'admin') throw notFound('Inscription');
    if (self && role !== 'admin' && session.starts_at <= now) throw new DomainError(ErrorCode.Conflict, `La séance « ${session.title} » a commencé : l’inscription ne se retire plus.`);
    await this.transactions.run(async (tx) => {
      if (!(await this.sessions.unregister(sessionId, internId, tx))) throw notFound('Inscription');
      await this.audit.record(auth, { action: 'teaching_registration.delete', subjectType: 'teaching_session', subjectId: sessionId, details: { internId } }, tx);
    });
  }

  /** The lead ticks a registered intern present or absent (again to correct it); an absence the intern justified stays justified. */
  async mark(auth: AuthContext, sessionId: string, internId: string, present: boolean): Promise<TeachingSessionView> {
    const { role } = await this.session(auth, sessionId);
    if (role !== 'lead') throw onlyLead();
    const dropped = await this.transactions.run(async (tx) => {
      if (!(await this.sessions.isRegistered(sessionId, internId, tx))) throw notFound('Interne inscrit');
      const before = await this.sessions.attendanceAt(sessionId, internId, { lock: true }, tx);
      if (!present && before?.status === 'excused') return null;
      await this.sessions.markFromList(sessionId, internId, present, auth.userId, tx);
      await this.audit.record(auth, { action: 'teaching_attendance.mark', subjectType: 'teaching_session', subjectId: sessionId, details: { internId, present } }, tx);
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
    const session = await this.sessions.findSession(claim.sessionId);
    if (!session || !attendanceCodeGenuine(claim, session.attendance_key, this.config.secretKey)) throw unknownCode();
    let expectedTitle: string | undefined;
    if (expectedSessionId && expectedSessionId !== session.id) {
      expectedTitle = await this.sessions.titleOf(expectedSessionId);
    }
    const times = { startsAt: session.starts_at, endsAt: session.ends_at };
    const refuse = (refusal: NonNullable<ReturnType<typeof scanRefusal>>) => {
      const message = scanRefusalMessage(refusal, { title: session.title, ...times }, expectedTitle);
      const code = refusal === 'expired' ? ErrorCode.InvalidToken : refusal === 'not_registered' ? ErrorCode.Forbidden : ErrorCode.Conflict;
      return new DomainError(code, message);
    };
    const row = await this.transactions.run(async (tx) => {
      const registered = await this.sessions.isRegistered(session.id, auth.userId, tx);
      const before = await this.sessions.attendanceAt(session.id, auth.userId, {}, tx);
      const refusal = scanRefusal({ session: { id: session.id, ...times }, codeSlot: claim.slot, now, expectedSessionId, registered, attendance: before ? { status: before.status, via: before.via === 'code' ? 'code' : 'list' } : null });
      if (refusal) throw refuse(refusal);
      // Two scans at once: the second finds the row present and updates nothing, so it is the replay.
      const marked = await this.sessions.markScanned(session.id, auth.userId, tx);
      if (!marked) throw refuse('replay');
      await this.audit.record(auth, { action: 'teaching_attendance.scan', subjectType: 'teaching_session', subjectId: session.id, details: { slot: claim.slot } }, tx);
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
    await this.transactions.run(async (tx) => {
      const before = await this.sessions.attendanceAt(sessionId, auth.userId, { lock: true }, tx);
      if (before?.status === 'present') throw new DomainError(ErrorCode.Conflict, `Vous êtes noté(e) présent(e) à « ${session.title} » : il n’y a pas d’absence à justifier.`);
      await this.sessions.markExcused(sessionId, auth.userId, reason.trim(), tx);
      await this.audit.record(auth, { action: 'teaching_absence.justify', subjectType: 'teaching_session', subjectId: sessionId, details: { internId: auth.userId } }, tx);
    });
    return this.get(auth, sessionId);
  }

  async uploadJustification(auth: AuthContext, sessionId: string, request: FastifyRequest): Promise<TeachingSessionView> {
    const { session } = await this.session(auth, sessionId);
    const before = await this.sessions.attendanceAt(sessionId, auth.userId);
    if (before?.status !== 'excused') throw new DomainError(ErrorCode.Conflict, `Donnez d’abord le motif de votre absence à « ${session.title} », puis joignez le justificatif.`);
    const received = await receiveDocument(request);
    const storageKey = `teaching/${sessionId}/${auth.userId}/${randomUUID()}`;
    try {
      await storeFile(this.storage, storageKey, { path: received.file, size: received.size, mimeType: received.mimeType });
      try {
        await this.transactions.run(async (tx) => {
          const updated = await this.sessions.attachJustification(sessionId, auth.userId, { filename: received.filename, mimeType: received.mimeType, size: received.size, sha256: received.sha256, storageKey }, tx);
          if (!updated) throw new DomainError(ErrorCode.Conflict, 'L’absence n’est plus à justifier : le responsable vous a noté(e) présent(e).');
          await this.audit.record(auth, { action: 'teaching_absence.document', subjectType: 'teaching_session', subjectId: sessionId, details: { sha256: received.sha256, size: received.size } }, tx);
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
    const row = await this.sessions.attendanceAt(sessionId, internId);
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
    const rows = await this.sessions.rollForExport(sessionId);
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
    const rows = await this.sessions.attendanceHistoryOf(internId);
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
    const rows = await this.sessions.roll(sessionId);
    return rows.map((r) => ({ intern: { id: r.id, displayName: displayName({ firstName: r.first_name, lastName: r.last_name }), promotion: r.promotion }, attendance: r.status ? attendanceView(r) : null }));
  }

  private me(auth: AuthContext): Promise<InternPlace> {
    return this.users.byId(auth.userId).then((me) => ({ promotion: me?.promotion ?? null, uppId: me?.uppId ?? null }));
  }

  private roleOf(auth: AuthContext, session: SessionRow, me: { promotion: number | null; uppId: string | null }, registered: boolean): SessionRole | null {
    if (session.lead_id === auth.userId) return 'lead';
    if (auth.roles.includes('admin')) return 'admin';
    if (auth.roles.includes('intern') && (registered || expectsIntern({ promotions: session.promotions, uppIds: session.upp_ids }, me))) return 'intern';
    return null;
  }

  private async session(auth: AuthContext, sessionId: string): Promise<{ session: SessionRow; role: SessionRole; me: InternPlace; registered: boolean }> {
    const session = await this.sessions.findSession(sessionId);
    if (!session) throw notFound('Séance');
    const me = await this.me(auth);
    const registered = await this.sessions.isRegistered(sessionId, auth.userId);
    const role = this.roleOf(auth, session, me, registered);
    if (!role) throw notFound('Séance');
    return { session, role, me, registered };
  }
}
