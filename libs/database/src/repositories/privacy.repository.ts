import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { Trace, Tutorship } from '../entities';
import { Database, Tx } from './database';

type Rows = Record<string, unknown>[];

/** Every piece of personal data about a user (article 15 and 20), table by table. */
export interface PersonalData {
  profile: Record<string, unknown> | undefined;
  tutorships: Rows;
  traces: Rows;
  revisions: Rows;
  commentsWritten: Rows;
  attachments: Rows;
  assessments: Rows;
  juryDecisionsAboutMe: Rows;
  juryDecisionsTaken: Rows;
  stages: Rows;
  difficultiesReported: Rows;
  exports: Rows;
  activity: Rows;
}

/** The GDPR rights' statements: a user's data read out, and what anonymising a user removes or ends. */
@Injectable()
export class PrivacyRepository {
  constructor(private readonly db: Database) {}

  /** Every piece of personal data about `userId`, one statement after another. */
  async personalData(userId: string): Promise<PersonalData> {
    const q = (sql: string) => this.db.query<Record<string, unknown>>(sql, [userId]);
    const [profile] = await q(
      `SELECT u.id, u.email, u.last_name, u.first_name, u.roles, p.code AS upp, u.promotion, u.active, u.reminders_enabled, u.created_at
         FROM app_user u LEFT JOIN upp p ON p.id = u.upp_id WHERE u.id = $1`,
    );
    return {
      profile,
      tutorships: await q(`SELECT id, tutor_id, intern_id, promotion, started_at, ended_at, end_reason FROM tutorship WHERE tutor_id = $1 OR intern_id = $1 ORDER BY started_at`),
      traces: await q(`SELECT id, kind, title, content, competences, familles, stage_id, status, version, created_at, updated_at, saved_at, submitted_at, validated_at, validated_by, validated_sha256 FROM trace WHERE intern_id = $1 ORDER BY created_at`),
      revisions: await q(`SELECT r.trace_id, r.number, r.title, r.content, r.sha256, r.created_at FROM trace_revision r JOIN trace t ON t.id = r.trace_id WHERE t.intern_id = $1 ORDER BY r.trace_id, r.number`),
      commentsWritten: await q(`SELECT id, trace_id, parent_id, body, anchor_quote, created_at, resolved_at FROM trace_comment WHERE author_id = $1 ORDER BY created_at`),
      attachments: await q(`SELECT a.id, a.trace_id, a.filename, a.mime_type, a.size, a.sha256, a.created_at FROM attachment a WHERE a.uploaded_by = $1 ORDER BY a.created_at`),
      assessments: await q(`SELECT id, intern_id, tutor_id, phase, levels, comment, recommendation, version, created_at, updated_at FROM assessment WHERE intern_id = $1 OR tutor_id = $1 ORDER BY created_at`),
      juryDecisionsAboutMe: await q(
        `SELECT d.decision, d.comment, d.created_at, s.title, s.phase FROM jury_decision d JOIN jury_session s ON s.id = d.session_id WHERE d.intern_id = $1 AND s.closes_at <= now()`,
      ),
      juryDecisionsTaken: await q(`SELECT session_id, intern_id, decision, comment, created_at FROM jury_decision WHERE member_id = $1`),
      stages: await q(
        `SELECT s.id, s.kind, s.semester, s.place, s.starts_on, s.ends_on FROM stage s WHERE s.intern_id = $1
         UNION SELECT s.id, s.kind, s.semester, s.place, s.starts_on, s.ends_on FROM stage s JOIN stage_supervisor ss ON ss.stage_id = s.id WHERE ss.tutor_id = $1`,
      ),
      difficultiesReported: await q(`SELECT stage_id, body, created_at FROM stage_difficulty WHERE reporter_id = $1`),
      exports: await q(`SELECT id, intern_id, format, scope, status, created_at FROM portfolio_export WHERE requested_by = $1 OR intern_id = $1`),
      activity: await q(`SELECT occurred_at, action, subject_type, subject_id, ip FROM audit_log WHERE actor_id = $1 ORDER BY occurred_at DESC LIMIT 5000`),
    };
  }

  /** Ends the active tutorships of a user, as tutor then as intern, for `reason`. */
  async endTutorshipsOf(userId: string, reason: string, tx?: Tx): Promise<void> {
    const manager = this.db.manager(tx);
    await manager.update(Tutorship, { tutorId: userId, endedAt: IsNull() }, { endedAt: new Date(), endReason: reason });
    await manager.update(Tutorship, { internId: userId, endedAt: IsNull() }, { endedAt: new Date(), endReason: reason });
  }

  /** The ids of an intern's traces never submitted (working notes). */
  async draftIdsOf(internId: string, tx?: Tx): Promise<string[]> {
    const drafts = await this.db.manager(tx).getRepository(Trace).find({ where: { internId, everSubmitted: false }, select: { id: true } });
    return drafts.map((d) => d.id);
  }

  /** Deletes these traces. */
  async deleteTraces(ids: string[], tx?: Tx): Promise<void> {
    if (ids.length) await this.db.manager(tx).delete(Trace, ids);
  }
}
