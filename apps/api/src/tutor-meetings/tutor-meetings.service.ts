import { namesOf } from '../common/names-kept';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { TutorMeeting, Tutorship, User } from '@carnet/database';
import {
  assertMeetingInput,
  confirmationsOnConfirm,
  confirmationsOnCreate,
  confirmationsOnEdit,
  displayName,
  DomainError,
  ErrorCode,
  isCoSigned,
  meetingCounts,
  MeetingParty,
  meetingPartyOf,
  meetingState,
  notFound,
} from '@carnet/domain';
import { AuditService } from '../audit/audit.service';
import { AuthContext } from '../auth/auth-context';
import { PortfolioAccessService, PortfolioRelation } from '../portfolios/portfolio-access.service';
import { CreateMeetingBody, MeetingsView, MeetingView, UpdateMeetingBody } from './tutor-meetings.dto';

/**
 * Who reads an intern's meetings: whoever reads their portfolio (the intern, their active tutor,
 * a sitting jury member, an admin) reads all of them; a former tutor reads those of the
 * tutorships they held, and nothing else of the portfolio.
 */
type MeetingReader = { relation: PortfolioRelation; tutorshipIds: null } | { relation: 'former_tutor'; tutorshipIds: string[] };

const forbidden = () => new DomainError(ErrorCode.Forbidden, 'Seuls l’interne et son tuteur actuel écrivent et confirment les rencontres de leur tutorat en cours.');

@Injectable()
export class TutorMeetingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: PortfolioAccessService,
    private readonly audit: AuditService,
  ) {}

  async list(auth: AuthContext, internId: string, now = new Date()): Promise<MeetingsView> {
    const reader = await this.reader(auth, internId);
    const tutorships = await this.dataSource.getRepository(Tutorship).find({
      where: reader.tutorshipIds ? { internId, id: In(reader.tutorshipIds) } : { internId },
      relations: { tutor: true, intern: true },
    });
    const meetings = tutorships.length
      ? await this.dataSource.getRepository(TutorMeeting).find({ where: { tutorshipId: In(tutorships.map((t) => t.id)) }, order: { heldOn: 'DESC', createdAt: 'DESC' } })
      : [];
    if (reader.relation !== 'self') {
      await this.audit.record(auth, { action: 'portfolio.read', subjectType: 'portfolio', subjectId: internId, details: { what: 'meetings', as: reader.relation } });
    }
    const byId = new Map(tutorships.map((t) => [t.id, t]));
    // A tutorship moved from another faculty names its tutor there: the name kept at the move.
    const kept = await namesOf(this.dataSource.manager, tutorships.filter((t) => !t.tutor).map((t) => t.tutorId));
    return { items: meetings.map((m) => this.view(auth, m, byId.get(m.tutorshipId)!, kept)), ...meetingCounts(meetings, now) };
  }

  async create(auth: AuthContext, internId: string, body: CreateMeetingBody, now = new Date()): Promise<MeetingView> {
    const reader = await this.reader(auth, internId);
    const tutorship = await this.dataSource.getRepository(Tutorship).findOne({ where: { internId, endedAt: IsNull() }, relations: { tutor: true, intern: true }, order: { startedAt: 'DESC' } });
    const party = tutorship ? meetingPartyOf(auth.userId, tutorship) : null;
    if (!tutorship || !party) {
      if (reader.relation === 'self') throw new DomainError(ErrorCode.Conflict, 'Vous n’avez pas de tuteur actif : une rencontre de tutorat se rattache au tutorat en cours.');
      throw forbidden();
    }
    assertMeetingInput(body, now);
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.getRepository(TutorMeeting).save(
        manager.getRepository(TutorMeeting).create({
          tutorshipId: tutorship.id,
          heldOn: body.heldOn,
          discussed: body.discussed,
          nextObjectives: body.nextObjectives,
          createdBy: auth.userId,
          createdAt: now,
          updatedAt: now,
          ...confirmationsOnCreate(party, now),
        }),
      );
      await this.audit.record(auth, { action: 'tutor_meeting.create', subjectType: 'tutor_meeting', subjectId: saved.id, details: { internId, as: party, heldOn: body.heldOn } }, manager);
      return this.view(auth, saved, tutorship);
    });
  }

  async update(auth: AuthContext, id: string, body: UpdateMeetingBody, now = new Date()): Promise<MeetingView> {
    await this.assertReads(auth, id);
    return this.dataSource.transaction(async (manager) => {
      const { meeting, tutorship, party } = await this.writable(auth, id, manager);
      // 409 once co-signed, before anything about the new text.
      const confirmations = confirmationsOnEdit(meeting, party, now);
      assertMeetingInput(body, now, true);
      const changed = (['heldOn', 'discussed', 'nextObjectives'] as const).filter((key) => body[key] !== undefined && body[key] !== meeting[key]);
      // An edit that changes nothing leaves both confirmations as they were.
      if (changed.length === 0) return this.view(auth, meeting, tutorship);
      Object.assign(meeting, { heldOn: body.heldOn ?? meeting.heldOn, discussed: body.discussed ?? meeting.discussed, nextObjectives: body.nextObjectives ?? meeting.nextObjectives, updatedAt: now }, confirmations);
      const saved = await manager.getRepository(TutorMeeting).save(meeting);
      await this.audit.record(auth, { action: 'tutor_meeting.update', subjectType: 'tutor_meeting', subjectId: id, details: { internId: tutorship.internId, as: party, changed } }, manager);
      return this.view(auth, saved, tutorship);
    });
  }

  async confirm(auth: AuthContext, id: string, now = new Date()): Promise<MeetingView> {
    await this.assertReads(auth, id);
    return this.dataSource.transaction(async (manager) => {
      const { meeting, tutorship, party } = await this.writable(auth, id, manager);
      Object.assign(meeting, confirmationsOnConfirm(meeting, party, now), { updatedAt: now });
      const saved = await manager.getRepository(TutorMeeting).save(meeting);
      await this.audit.record(auth, { action: 'tutor_meeting.confirm', subjectType: 'tutor_meeting', subjectId: id, details: { internId: tutorship.internId, as: party, coSigned: isCoSigned(saved) } }, manager);
      return this.view(auth, saved, tutorship);
    });
  }

  /**
   * 404 unless the requester may read the meeting. Asked before the write's transaction: the
   * access rule reads on connections of its own, which would wait forever for that transaction
   * on the embedded database (it serialises transactions). A meeting never changes tutorship.
   */
  private async assertReads(auth: AuthContext, id: string): Promise<void> {
    const meeting = await this.dataSource.getRepository(TutorMeeting).findOne({ where: { id }, select: { id: true, tutorshipId: true } });
    if (!meeting) throw notFound('Rencontre de tutorat');
    const tutorship = await this.dataSource.getRepository(Tutorship).findOneOrFail({ where: { id: meeting.tutorshipId }, select: { id: true, internId: true } });
    const reader = await this.reader(auth, tutorship.internId).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCode.NotFound ? notFound('Rencontre de tutorat') : error;
    });
    if (reader.tutorshipIds && !reader.tutorshipIds.includes(tutorship.id)) throw notFound('Rencontre de tutorat');
  }

  /** The meeting, locked for the write, its tutorship and the requester's party (403 if they only read it): after assertReads. */
  private async writable(auth: AuthContext, id: string, manager: EntityManager): Promise<{ meeting: TutorMeeting; tutorship: Tutorship; party: MeetingParty }> {
    const meeting = await manager.getRepository(TutorMeeting).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!meeting) throw notFound('Rencontre de tutorat');
    const tutorship = await manager.getRepository(Tutorship).findOneOrFail({ where: { id: meeting.tutorshipId }, relations: { tutor: true, intern: true } });
    const party = meetingPartyOf(auth.userId, tutorship);
    if (!party) throw forbidden();
    return { meeting, tutorship, party };
  }

  private async reader(auth: AuthContext, internId: string): Promise<MeetingReader> {
    try {
      const { relation } = await this.access.relation(auth, internId);
      return { relation, tutorshipIds: null };
    } catch (error) {
      if (!(error instanceof DomainError && error.code === ErrorCode.NotFound)) throw error;
      const held = await this.dataSource.getRepository(Tutorship).find({ where: { internId, tutorId: auth.userId }, select: { id: true } });
      const intern = held.length ? await this.dataSource.getRepository(User).findOne({ where: { id: internId }, select: { id: true, roles: true } }) : null;
      if (!intern?.roles.includes('intern')) throw error;
      return { relation: 'former_tutor', tutorshipIds: held.map((t) => t.id) };
    }
  }

  private view(auth: AuthContext, meeting: TutorMeeting, tutorship: Tutorship, kept?: Map<string, string>): MeetingView {
    const party = meetingPartyOf(auth.userId, tutorship);
    const coSigned = isCoSigned(meeting);
    const mine = party === 'intern' ? meeting.internConfirmedAt : party === 'tutor' ? meeting.tutorConfirmedAt : null;
    return {
      id: meeting.id,
      tutorshipId: meeting.tutorshipId,
      heldOn: meeting.heldOn,
      discussed: meeting.discussed,
      nextObjectives: meeting.nextObjectives,
      createdBy: meeting.createdBy,
      createdAt: meeting.createdAt.toISOString(),
      updatedAt: meeting.updatedAt.toISOString(),
      internConfirmedAt: meeting.internConfirmedAt?.toISOString() ?? null,
      tutorConfirmedAt: meeting.tutorConfirmedAt?.toISOString() ?? null,
      state: meetingState(meeting),
      tutor: { id: tutorship.tutorId, displayName: tutorship.tutor ? displayName(tutorship.tutor) : (kept?.get(tutorship.tutorId) ?? '') },
      intern: { id: tutorship.internId, displayName: tutorship.intern ? displayName(tutorship.intern) : '' },
      canEdit: party !== null && !coSigned,
      canConfirm: party !== null && !coSigned && mine === null,
    };
  }
}
