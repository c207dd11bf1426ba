import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Tutorship } from '../entities';
import { offsetOf, PageRequest } from '../sql/paging';
import { inRequestFaculty } from '../tenancy';
import { Database, Tx } from './database';

/** Which tutorships a list shows: every filter optional; `active` true or false for ongoing or ended only. */
export interface TutorshipFilter extends PageRequest {
  tutorId?: string;
  internId?: string;
  promotion?: number;
  active?: boolean;
}

/** A tutorship to start: who, which promotion, who made it. */
export interface NewTutorship {
  tutorId: string;
  internId: string;
  promotion: number;
  createdBy: string;
}

/** Tutorships: who follows which intern, from when to when. */
@Injectable()
export class TutorshipRepository {
  constructor(private readonly db: Database) {}

  /** The ongoing tutorships of the tutor or of the intern (what the one-per-promotion and one-tutor rules look at). */
  activeOfEither(tutorId: string, internId: string, tx?: Tx): Promise<Tutorship[]> {
    return this.db.manager(tx).getRepository(Tutorship).find({
      where: [
        { tutorId, endedAt: IsNull() },
        { internId, endedAt: IsNull() },
      ],
    });
  }

  /** Whether `tutorId` is the intern's tutor now. */
  isActiveTutor(tutorId: string, internId: string, tx?: Tx): Promise<boolean> {
    return this.db.manager(tx).getRepository(Tutorship).exists({ where: { tutorId, internId, endedAt: IsNull() } });
  }

  /** The intern's running tutorship, with the tutor and the intern (for a notification), or null. */
  activeOf(internId: string, tx?: Tx): Promise<Tutorship | null> {
    return this.db.manager(tx).getRepository(Tutorship).findOne({ where: { internId, endedAt: IsNull() }, relations: { tutor: true, intern: true }, order: { startedAt: 'DESC' } });
  }

  /** Starts one (the unique indexes hold the rules against a race: their violation is the caller's to name). */
  async start(values: NewTutorship, tx?: Tx): Promise<Tutorship> {
    const manager = this.db.manager(tx);
    const tutorship = manager.create(Tutorship, { ...values, endedAt: null, endReason: null });
    await manager.save(tutorship);
    return tutorship;
  }

  /** The tutorship, its row locked until the transaction ends; null when there is none. */
  lock(id: string, tx: Tx): Promise<Tutorship | null> {
    return this.db.manager(tx).getRepository(Tutorship).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Ends it now, for `reason` (it is changed in place). */
  async end(tutorship: Tutorship, reason: string, tx?: Tx): Promise<void> {
    tutorship.endedAt = new Date();
    tutorship.endReason = reason;
    await this.db.manager(tx).save(tutorship);
  }

  /** The tutorship with its tutor and intern (null when a person is out of this faculty's reach). */
  withPeople(id: string, tx?: Tx): Promise<Tutorship> {
    return this.db.manager(tx).getRepository(Tutorship).findOneOrFail({ where: { id }, relations: { tutor: true, intern: true } });
  }

  /** A page of the request faculty's tutorships, newest first, with their people; and how many match. */
  async list(filter: TutorshipFilter): Promise<{ rows: Tutorship[]; total: number }> {
    const where: Record<string, unknown> = { facultyId: inRequestFaculty() };
    if (filter.tutorId) where.tutorId = filter.tutorId;
    if (filter.internId) where.internId = filter.internId;
    if (filter.promotion) where.promotion = filter.promotion;
    const builder = this.db
      .manager()
      .getRepository(Tutorship)
      .createQueryBuilder('t')
      .leftJoinAndSelect('t.tutor', 'tutor')
      .leftJoinAndSelect('t.intern', 'intern')
      .where(where)
      .orderBy('t.started_at', 'DESC')
      .addOrderBy('t.id', 'ASC')
      .skip(offsetOf(filter))
      .take(filter.pageSize);
    if (filter.active === true) builder.andWhere('t.ended_at IS NULL');
    if (filter.active === false) builder.andWhere('t.ended_at IS NOT NULL');
    const [rows, total] = await builder.getManyAndCount();
    return { rows, total };
  }
}
