import { Injectable } from '@nestjs/common';
import { Transactions, TutorMeeting, TutorMeetingRepository, TutorshipRepository, Tutorship, Tx, UserRepository } from '@carnet/database';
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
    private readonly meetings: TutorMeetingRepository,
    private readonly tutorships: TutorshipRepository,
    private readonly transactions: Transactions,
    // Only for the names kept at a portfolio's move (common/names-kept.ts, the identity slice's): no statement of this service's.
    private readonly users: UserRepository,
    private readonly access: PortfolioAccessService,
    private readonly audit: AuditService,
  ) {}

  async list(auth: AuthContext, internId: string, now = new Date()): Promise<MeetingsView> {
    const reader = await this.reader(auth, internId);
    const tutorships = await this.meetings.tutorshipsOf(internId, reader.tutorshipIds);
    const meetings = await this.meetings.meetingsOf(tutorships.map((t) => t.id));
    if (reader.relation !== 'self') {
      await this.audit.record(auth, { action: 'portfolio.read', subjectType: 'portfolio', subjectId: internId, details: { what: 'meetings', as: reader.relation } });
    }
    const byId = new Map(tutorships.map((t) => [t.id, t]));
    // A tutorship moved from another faculty names its tutor there: the name kept at the move.
    const kept = await this.users.namesOf(tutorships.filter((t) => !t.tutor).map((t) => t.tutorId));
    return { items: meetings.map((m) => this.view(auth, m, byId.get(m.tutorshipId)!, kept)), ...meetingCounts(meetings, now) };
  }

  async create(auth: AuthContext, internId: string, body: CreateMeetingBody, now = new Date()): Promise<MeetingView> {
    const reader = await this.reader(auth, internId);
    const tutorship = await this.tutorships.activeOf(internId);
    const party = tutorship ? meetingPartyOf(auth.userId, tutorship) : null;
    if (!tutorship || !party) {
      if (reader.relation === 'self') throw new DomainError(ErrorCode.Conflict, 'Vous n’avez pas de tuteur actif : une rencontre de tutorat se rattache au tutorat en cours.');
      throw forbidden();
    }
    assertMeetingInput(body, now);
    return this.transactions.run(async (tx) => {
      const saved = await this.meetings.insert(
        {
          tutorshipId: tutorship.id,
          heldOn: body.heldOn,
          discussed: body.discussed,
          nextObjectives: body.nextObjectives,
          createdBy: auth.userId,
          createdAt: now,
          updatedAt: now,
          ...confirmationsOnCreate(party, now),
        },
        tx,
      );
      await this.audit.record(auth, { action: 'tutor_meeting.create', subjectType: 'tutor_meeting', subjectId: saved.id, details: { internId, as: party, heldOn: body.heldOn } }, tx);
      return this.view(auth, saved, tutorship);
    });
  }

  async update(auth: AuthContext, id: string, body: UpdateMeetingBody, now = new Date()): Promise<MeetingView> {
    await this.assertReads(auth, id);
    return this.transactions.run(async (tx) => {
      const { meeting, tutorship, party } = await this.writable(auth, id, tx);
      // 409 once co-signed, before anything about the new text.
      const confirmations = confirmationsOnEdit(meeting, party, now);
      assertMeetingInput(body, now, true);
      const changed = (['heldOn', 'discussed', 'nextObjectives'] as const).filter((key) => body[key] !== undefined && body[key] !== meeting[key]);
      // An edit that changes nothing leaves both confirmations as they were.
      if (changed.length === 0) return this.view(auth, meeting, tutorship);
      Object.assign(meeting, { heldOn: body.heldOn ?? meeting.heldOn, discussed: body.discussed ?? meeting.discussed, nextObjectives: body.nextObjectives ?? meeting.nextObjectives, updatedAt: now }, confirmations);
      const saved = await this.meetings.save(meeting, tx);
      await this.audit.record(auth, { action: 'tutor_meeting.update', subjectType: 'tutor_meeting', subjectId: id, details: { internId: tutorship.internId, as: party, changed } }, tx);
      return this.view(auth, saved, tutorship);
    });
  }

  async confirm(auth: AuthContext, id: string, now = new Date()): Promise<MeetingView> {
    await this.assertReads(auth, id);
    return this.transactions.run(async (tx) => {
      const { meeting, tutorship, party } = await this.writable(auth, id, tx);
      Object.assign(meeting, confirmationsOnConfirm(meeting, party, now), { updatedAt: now });
      const saved = await this.meetings.save(meeting, tx);
      await this.audit.record(auth, { action: 'tutor_meeting.confirm', subjectType: 'tutor_meeting', subjectId: id, details: { internId: tutorship.internId, as: party, coSigned: isCoSigned(saved) } }, tx);
      return this.view(auth, saved, tutorship);
    });
  }

  /**
   * 404 unless the requester may read the meeting. Asked before the write's transaction: the
   * access rule reads on connections of its own, which would wait forever for that transaction
   * on the embedded database (it serialises transactions). A meeting never changes tutorship.
   */
  private async assertReads(auth: AuthContext, id: string): Promise<void> {
    const tutorship = await this.meetings.tutorshipOfMeeting(id);
    if (!tutorship) throw notFound('Rencontre de tutorat');
    const reader = await this.reader(auth, tutorship.internId).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === ErrorCode.NotFound ? notFound('Rencontre de tutorat') : error;
    });
    if (reader.tutorshipIds && !reader.tutorshipIds.includes(tutorship.tutorshipId)) throw notFound('Rencontre de tutorat');
  }

  /** The meeting, locked for the write, its tutorship and the requester's party (403 if they only read it): after assertReads. */
  private async writable(auth: AuthContext, id: string, tx: Tx): Promise<{ meeting: TutorMeeting; tutorship: Tutorship; party: MeetingParty }> {
    const locked = await this.meetings.lockForWrite(id, tx);
    if (!locked) throw notFound('Rencontre de tutorat');
    const { meeting, tutorship } = locked;
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
      const held = await this.meetings.tutorshipIdsHeld(internId, auth.userId);
      const roles = held.length ? (await this.users.byId(internId))?.roles ?? null : null;
      if (!roles?.includes('intern')) throw error;
      return { relation: 'former_tutor', tutorshipIds: held };
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
