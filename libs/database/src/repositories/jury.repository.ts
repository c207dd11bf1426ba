import { Injectable } from '@nestjs/common';
import { In, Not } from 'typeorm';
import type { Phase } from '@carnet/domain';
import { JuryDecision, JuryIntern, JuryMember, JurySession, Trace } from '../entities';
import { inRequestFaculty, requestFacultySql } from '../tenancy';
import { Database, Tx } from './database';

/** A session to open: its title, phase and window, who made it. */
export interface NewJurySession {
  title: string;
  phase: Phase;
  opensAt: Date;
  closesAt: Date;
  createdBy: string;
}

/** A decision to record: the session, the intern, the member, and the progress it was made on. */
export type NewJuryDecision = Pick<JuryDecision, 'sessionId' | 'internId' | 'memberId' | 'decision' | 'comment' | 'requirementVersion' | 'progress'>;

/** A decision with the session it was made in. */
export type JuryDecisionInSession = JuryDecision & { session: JurySession };

/** Which decisions about an intern a reader sees: all, those of the sessions `memberId` sits on, or those of closed sessions. */
export type DecisionsSeen = { all: true } | { memberId: string } | { closedOnly: true };

/** Jury sessions, their members and interns, and the decisions recorded in them. */
@Injectable()
export class JuryRepository {
  constructor(private readonly db: Database) {}

  /** Opens a session with its members and interns; the saved session. */
  async create(values: NewJurySession, memberIds: string[], internIds: string[], tx?: Tx): Promise<JurySession> {
    const manager = this.db.manager(tx);
    const session = manager.create(JurySession, values);
    await manager.save(session);
    await manager.insert(JuryMember, memberIds.map((userId) => ({ sessionId: session.id, userId })));
    if (internIds.length) await manager.insert(JuryIntern, internIds.map((internId) => ({ sessionId: session.id, internId })));
    return session;
  }

  /** The session, its row locked until the transaction ends; null when there is none. */
  lock(id: string, tx: Tx): Promise<JurySession | null> {
    return this.db.manager(tx).getRepository(JurySession).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Saves its title and window. */
  async save(session: JurySession, tx?: Tx): Promise<void> {
    await this.db.manager(tx).save(session);
  }

  /** Ends its window now (one that had not opened yet gets an empty window ending now); the session as it is then. */
  async closeNow(id: string, tx?: Tx): Promise<JurySession> {
    await this.db.query(`UPDATE jury_session SET closes_at = now(), opens_at = LEAST(opens_at, now() - interval '1 millisecond') WHERE id = $1`, [id], tx);
    return this.db.manager(tx).getRepository(JurySession).findOneByOrFail({ id });
  }

  /** The request faculty's session; null when there is none. */
  findInFaculty(id: string): Promise<JurySession | null> {
    return this.db.manager().getRepository(JurySession).findOneBy({ id, facultyId: inRequestFaculty() });
  }

  /** The request faculty's sessions, latest opening first: all of them, or those `memberId` sits on. */
  list(memberId: string | null): Promise<JurySession[]> {
    const query = this.db.manager().getRepository(JurySession).createQueryBuilder('s').where(requestFacultySql('s')).orderBy('s.opens_at', 'DESC');
    if (memberId !== null) query.innerJoin('jury_member', 'm', 'm.session_id = s.id AND m.user_id = :me', { me: memberId });
    return query.getMany();
  }

  membersOf(sessionId: string, tx?: Tx): Promise<JuryMember[]> {
    return this.db.manager(tx).getRepository(JuryMember).findBy({ sessionId });
  }

  internsOf(sessionId: string, tx?: Tx): Promise<JuryIntern[]> {
    return this.db.manager(tx).getRepository(JuryIntern).findBy({ sessionId });
  }

  /** The decisions recorded in the session: all of them, or those about `internIds`. */
  decisionsIn(sessionId: string, internIds?: string[], tx?: Tx): Promise<JuryDecision[]> {
    return this.db.manager(tx).getRepository(JuryDecision).findBy(internIds ? { sessionId, internId: In(internIds) } : { sessionId });
  }

  /** Sets the session's members to `memberIds`: the others removed, the new ones added. */
  async replaceMembers(sessionId: string, memberIds: string[], added: string[], tx?: Tx): Promise<void> {
    const manager = this.db.manager(tx);
    await manager.getRepository(JuryMember).delete({ sessionId, userId: Not(In(memberIds)) });
    if (added.length) await manager.insert(JuryMember, added.map((userId) => ({ sessionId, userId })));
  }

  async removeInterns(sessionId: string, internIds: string[], tx?: Tx): Promise<void> {
    await this.db.manager(tx).getRepository(JuryIntern).delete({ sessionId, internId: In(internIds) });
  }

  async addInterns(sessionId: string, internIds: string[], tx?: Tx): Promise<void> {
    await this.db.manager(tx).insert(JuryIntern, internIds.map((internId) => ({ sessionId, internId })));
  }

  isMember(userId: string, sessionId: string): Promise<boolean> {
    return this.db.manager().getRepository(JuryMember).exists({ where: { sessionId, userId } });
  }

  isInternOn(sessionId: string, internId: string): Promise<boolean> {
    return this.db.manager().getRepository(JuryIntern).exists({ where: { sessionId, internId } });
  }

  /** Records a decision (one per intern and session: a second violates `jury_decision_one_per_intern`); the decision recorded. */
  async decide(values: NewJuryDecision, tx?: Tx): Promise<JuryDecision> {
    const manager = this.db.manager(tx);
    const decision = manager.create(JuryDecision, values);
    await manager.insert(JuryDecision, decision);
    return decision;
  }

  /** The decisions about an intern that a reader sees (`seen`), newest first, each with its session. */
  async decisionsAbout(internId: string, seen: DecisionsSeen): Promise<JuryDecisionInSession[]> {
    const query = this.db
      .manager()
      .getRepository(JuryDecision)
      .createQueryBuilder('d')
      .innerJoinAndMapOne('d.session', JurySession, 's', 's.id = d.session_id')
      .where('d.intern_id = :internId', { internId })
      .orderBy('d.created_at', 'DESC');
    if ('memberId' in seen) query.andWhere('EXISTS (SELECT 1 FROM jury_member m WHERE m.session_id = s.id AND m.user_id = :me)', { me: seen.memberId });
    else if ('closedOnly' in seen) query.andWhere('s.closes_at <= now()');
    return (await query.getMany()) as JuryDecisionInSession[];
  }

  /** The intern's validated traces, in the order they were validated, as a jury member reads them (no contents). */
  validatedTracesOf(internId: string): Promise<Trace[]> {
    return this.db.manager().getRepository(Trace).find({
      where: { internId, status: 'validated' },
      order: { validatedAt: 'ASC' },
      select: {
        id: true, internId: true, kind: true, title: true, competences: true, familles: true, stageId: true, status: true, version: true,
        createdAt: true, updatedAt: true, submittedAt: true, validatedAt: true, validatedBy: true, validatedSha256: true, importedOrigin: true, originFacultyId: true,
      },
    });
  }
}
