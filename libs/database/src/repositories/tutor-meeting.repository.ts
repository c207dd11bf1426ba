import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { TutorMeeting, Tutorship } from '../entities';
import { Database, Tx } from './database';

/** A meeting's fields when it is written down. */
export type NewTutorMeeting = Pick<TutorMeeting, 'tutorshipId' | 'heldOn' | 'discussed' | 'nextObjectives' | 'createdBy' | 'createdAt' | 'updatedAt'> &
  Partial<Pick<TutorMeeting, 'internConfirmedAt' | 'tutorConfirmedAt'>>;

/** Tutorship meetings, and the tutorships they belong to (their tutor and intern with them). */
@Injectable()
export class TutorMeetingRepository {
  constructor(private readonly db: Database) {}

  /** The intern's tutorships, or those of them among `ids`, with their tutor and intern. */
  tutorshipsOf(internId: string, ids: string[] | null): Promise<Tutorship[]> {
    return this.db.manager().getRepository(Tutorship).find({
      where: ids ? { internId, id: In(ids) } : { internId },
      relations: { tutor: true, intern: true },
    });
  }

  /** The ids of the intern's tutorships the tutor held. */
  async tutorshipIdsHeld(internId: string, tutorId: string): Promise<string[]> {
    const held = await this.db.manager().getRepository(Tutorship).find({ where: { internId, tutorId }, select: { id: true } });
    return held.map((t) => t.id);
  }

  /** The meetings of these tutorships, latest first. */
  async meetingsOf(tutorshipIds: string[]): Promise<TutorMeeting[]> {
    if (!tutorshipIds.length) return [];
    return this.db.manager().getRepository(TutorMeeting).find({ where: { tutorshipId: In(tutorshipIds) }, order: { heldOn: 'DESC', createdAt: 'DESC' } });
  }

  /** The meeting's tutorship and its intern (ids only); null when there is no such meeting. A meeting never changes tutorship. */
  async tutorshipOfMeeting(meetingId: string): Promise<{ tutorshipId: string; internId: string } | null> {
    const meeting = await this.db.manager().getRepository(TutorMeeting).findOne({ where: { id: meetingId }, select: { id: true, tutorshipId: true } });
    if (!meeting) return null;
    const tutorship = await this.db.manager().getRepository(Tutorship).findOneOrFail({ where: { id: meeting.tutorshipId }, select: { id: true, internId: true } });
    return { tutorshipId: tutorship.id, internId: tutorship.internId };
  }

  /** The meeting, its row locked for the write that follows, and its tutorship with its tutor and intern; null when there is no such meeting. */
  async lockForWrite(meetingId: string, tx: Tx): Promise<{ meeting: TutorMeeting; tutorship: Tutorship } | null> {
    const meeting = await this.db.manager(tx).getRepository(TutorMeeting).findOne({ where: { id: meetingId }, lock: { mode: 'pessimistic_write' } });
    if (!meeting) return null;
    const tutorship = await this.db.manager(tx).getRepository(Tutorship).findOneOrFail({ where: { id: meeting.tutorshipId }, relations: { tutor: true, intern: true } });
    return { meeting, tutorship };
  }

  /** A new meeting, as saved. */
  insert(meeting: NewTutorMeeting, tx?: Tx): Promise<TutorMeeting> {
    const meetings = this.db.manager(tx).getRepository(TutorMeeting);
    return meetings.save(meetings.create(meeting));
  }

  /** The meeting's changes saved; the meeting as saved. */
  save(meeting: TutorMeeting, tx?: Tx): Promise<TutorMeeting> {
    return this.db.manager(tx).getRepository(TutorMeeting).save(meeting);
  }
}
