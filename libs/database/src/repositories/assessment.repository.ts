import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { Phase } from '@carnet/domain';
import { Assessment, AssessmentRevision, JuryDecision, Recommendation } from '../entities';
import { Database, Tx } from './database';

/** What a tutor writes of a phase: each save is a new version, kept as a revision. */
export interface AssessmentContent {
  levels: Record<string, string>;
  comment: string;
  recommendation: Recommendation;
}

/** Tutors' assessments of an intern's phases, and their revisions. */
@Injectable()
export class AssessmentRepository {
  constructor(private readonly db: Database) {}

  /** The ids of the intern's assessments, oldest first. */
  async idsOf(internId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(`SELECT id FROM assessment WHERE intern_id = $1 ORDER BY created_at`, [internId]);
    return rows.map((r) => r.id);
  }

  /** The tutor's assessment of the phase, its row locked until the transaction ends; null when they wrote none yet. */
  lockOwn(internId: string, tutorId: string, phase: Phase, tx: Tx): Promise<Assessment | null> {
    return this.db.manager(tx).getRepository(Assessment).findOne({ where: { internId, tutorId, phase }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Saves the assessment's next version (its first when `assessment` is null) and its revision;
   * the saved assessment.
   */
  async saveVersion(assessment: Assessment | null, owner: { internId: string; tutorId: string; phase: Phase }, content: AssessmentContent, tx?: Tx): Promise<Assessment> {
    const manager = this.db.manager(tx);
    const repository = manager.getRepository(Assessment);
    const saved = assessment ?? repository.create({ ...owner, version: 0 });
    saved.version += 1;
    Object.assign(saved, { levels: content.levels, comment: content.comment, recommendation: content.recommendation, updatedAt: new Date() });
    await repository.save(saved);
    await manager.insert(AssessmentRevision, {
      assessmentId: saved.id,
      version: saved.version,
      levels: content.levels,
      comment: saved.comment,
      recommendation: content.recommendation,
    });
    return saved;
  }

  /** The assessments, oldest first. */
  byIds(ids: string[]): Promise<Assessment[]> {
    return this.db.manager().getRepository(Assessment).find({ where: { id: In(ids) }, order: { createdAt: 'ASC' } });
  }

  /** The revisions of the assessments, by version. */
  revisionsOf(assessmentIds: string[]): Promise<AssessmentRevision[]> {
    return this.db.manager().getRepository(AssessmentRevision).find({ where: { assessmentId: In(assessmentIds) }, order: { version: 'ASC' } });
  }

  /**
   * Whether a jury decided the intern's phase: recorded `validated` or `not_validated` for it.
   * Reads on the caller's transaction when given: a second connection would wait for it forever
   * on the embedded database, which serialises transactions.
   */
  async phaseDecided(internId: string, phase: Phase, tx?: Tx): Promise<boolean> {
    return (
      (await this.db
        .manager(tx)
        .getRepository(JuryDecision)
        .createQueryBuilder('d')
        .innerJoin('jury_session', 's', 's.id = d.session_id')
        .where('d.intern_id = :internId AND s.phase = :phase AND d.decision IN (:...final)', { internId, phase, final: ['validated', 'not_validated'] })
        .getCount()) > 0
    );
  }
}
