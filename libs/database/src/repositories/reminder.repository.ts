import { Injectable } from '@nestjs/common';
import { EVALUATION_OPENS_DAYS_BEFORE_END, Phase, StageKind } from '@carnet/domain';
import { Database } from './database';
import { sessionExpects } from './teaching.repository';
import { PROGRESS_STATUSES, statusesSql } from './portfolio.repository';

/** Who a reminder goes to, selected with each candidate. */
export interface RecipientRow {
  id: string;
  email: string;
  first_name: string;
}

export type WaitingTraceRow = RecipientRow & { trace_id: string; title: string; intern: string; submitted_at: Date };
export type IdleInternRow = RecipientRow & { last: Date | null };
export interface SessionInternRow {
  session_id: string;
  phase: Phase;
  opens_at: Date;
  intern_id: string;
}
export type DigestRow = RecipientRow & { waiting: number; oldest: Date };
export type StalledStepRow = RecipientRow & { step_id: string; label: string; planned_on: string };
export type StageSupervisorRow = RecipientRow & { stage_id: string; kind: StageKind; ends_on: string; intern: string };
export type StageInternRow = RecipientRow & { stage_id: string; kind: StageKind };
export type MissedSessionRow = RecipientRow & {
  session_id: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
  next: { title: string; starts_at: string; ends_at: string; place: string } | null;
};

/** A stage's end-of-stage forms are open on `$1` (a day): from 14 days before its end up to 60 days after it. */
const STAGE_FORMS_OPEN = `s.ends_on - ${EVALUATION_OPENS_DAYS_BEFORE_END} <= $1::date AND s.ends_on >= $1::date - 60`;

/** Session `s` expects the intern `u` (progress's rule). */
const expects = (s: string) => sessionExpects(s, 'u');

/**
 * The daily reminders' sweeps (each selects its candidates with their recipient) and their claims
 * in `reminder_log`, whose primary key (user, kind, period) makes a reminder go out once (the
 * sending side is MailRepository's).
 */
@Injectable()
export class ReminderRepository {
  constructor(private readonly db: Database) {}

  /** Traces submitted before `before` still waiting, with their intern's current tutor (active, reminders on). */
  tracesWaitingSince(before: Date): Promise<WaitingTraceRow[]> {
    return this.db.query(
      `SELECT tu.id, tu.email, tu.first_name, t.id AS trace_id, t.title, i.first_name || ' ' || i.last_name AS intern, t.submitted_at
         FROM trace t
         JOIN tutorship ts ON ts.intern_id = t.intern_id AND ts.ended_at IS NULL
         JOIN app_user i ON i.id = t.intern_id
         JOIN app_user tu ON tu.id = ts.tutor_id AND tu.active AND tu.reminders_enabled
        WHERE t.status = 'submitted' AND t.submitted_at < $1`,
      [before],
    );
  }

  /** Active interns (reminders on, account older than `before`) with nothing validated since `before`, with their last validation. */
  idleInternsSince(before: Date): Promise<IdleInternRow[]> {
    return this.db.query(
      `SELECT u.id, u.email, u.first_name, max(t.validated_at) AS last
         FROM app_user u
         LEFT JOIN trace t ON t.intern_id = u.id AND ${statusesSql('t.status', PROGRESS_STATUSES)}
        WHERE 'intern' = ANY(u.roles) AND u.active AND u.reminders_enabled AND u.created_at < $1
        GROUP BY u.id
       HAVING max(t.validated_at) IS NULL OR max(t.validated_at) < $1`,
      [before],
    );
  }

  /** The interns (active, reminders on) heard by a jury session opening after `from` and by `to`, not yet told of its gaps. */
  internsOfSessionsOpening(from: Date, to: Date): Promise<SessionInternRow[]> {
    return this.db.query(
      `SELECT s.id AS session_id, s.phase, s.opens_at, ji.intern_id
         FROM jury_session s JOIN jury_intern ji ON ji.session_id = s.id
         JOIN app_user u ON u.id = ji.intern_id AND u.active AND u.reminders_enabled
        WHERE s.opens_at > $1 AND s.opens_at <= $2
          -- the gaps are worked out (a progress computation each) only for interns not yet told
          AND NOT EXISTS (SELECT 1 FROM reminder_log l WHERE l.user_id = ji.intern_id AND l.kind = 'session_gaps' AND l.period = s.id::text)`,
      [from, to],
    );
  }

  /** Each current tutor (active, reminders on) with traces waiting: how many, and since when. */
  tutorsWithWaitingTraces(): Promise<DigestRow[]> {
    return this.db.query(
      `SELECT tu.id, tu.email, tu.first_name, count(*)::int AS waiting, min(t.submitted_at) AS oldest
         FROM trace t
         JOIN tutorship ts ON ts.intern_id = t.intern_id AND ts.ended_at IS NULL
         JOIN app_user tu ON tu.id = ts.tutor_id AND tu.active AND tu.reminders_enabled
        WHERE t.status = 'submitted'
        GROUP BY tu.id`,
    );
  }

  /** Thesis steps undone whose planned day is before `today` (a day), with their intern (active, reminders on). */
  stalledThesisSteps(today: string): Promise<StalledStepRow[]> {
    return this.db.query(
      `SELECT u.id, u.email, u.first_name, s.id AS step_id, s.label, s.planned_on::text AS planned_on
         FROM thesis_step s JOIN thesis t ON t.id = s.thesis_id
         JOIN app_user u ON u.id = t.intern_id AND u.active AND u.reminders_enabled
        WHERE s.done_on IS NULL AND s.planned_on < $1::date`,
      [today],
    );
  }

  /** The supervisors with an account (active, reminders on) of stages whose forms are open on `today`, who have not evaluated the intern. */
  stageSupervisorsToEvaluate(today: string): Promise<StageSupervisorRow[]> {
    return this.db.query(
      `SELECT DISTINCT u.id, u.email, u.first_name, s.id AS stage_id, s.kind, s.ends_on::text AS ends_on, i.first_name || ' ' || i.last_name AS intern
         FROM stage s JOIN stage_supervisor ss ON ss.stage_id = s.id
         JOIN app_user u ON u.id = ss.tutor_id AND u.active AND u.reminders_enabled
         JOIN app_user i ON i.id = s.intern_id
        WHERE ${STAGE_FORMS_OPEN} AND NOT EXISTS (SELECT 1 FROM stage_evaluation e WHERE e.stage_id = s.id AND e.author_id = u.id)`,
      [today],
    );
  }

  /** The interns (active, reminders on) of stages whose forms are open on `today`, who have not evaluated the stage. */
  stageInternsToGiveFeedback(today: string): Promise<StageInternRow[]> {
    return this.db.query(
      `SELECT u.id, u.email, u.first_name, s.id AS stage_id, s.kind
         FROM stage s JOIN app_user u ON u.id = s.intern_id AND u.active AND u.reminders_enabled
        WHERE ${STAGE_FORMS_OPEN} AND NOT EXISTS (SELECT 1 FROM stage_feedback f WHERE f.stage_id = s.id)`,
      [today],
    );
  }

  /**
   * The mandatory sessions ended after `endedAfter` and by `endedBy`, started after `startedAfter`,
   * that an intern (active, reminders on) they expected missed (neither present nor excused) and
   * was not told of, each with the next session of its kind expecting them after `now`.
   */
  missedSessions(now: Date, endedBy: Date, startedAfter: Date, endedAfter: Date): Promise<MissedSessionRow[]> {
    return this.db.query(
      `SELECT u.id, u.email, u.first_name, s.id AS session_id, s.title, s.starts_at, s.ends_at,
                (SELECT json_build_object('title', n.title, 'starts_at', n.starts_at, 'ends_at', n.ends_at, 'place', n.place)
                   FROM teaching_session n
                  WHERE ${expects('n')} AND n.kind = s.kind AND n.starts_at > $1
                  ORDER BY n.starts_at, n.id LIMIT 1) AS next
           FROM teaching_session s
           JOIN app_user u ON 'intern' = ANY (u.roles) AND u.active AND u.reminders_enabled
           LEFT JOIN teaching_attendance a ON a.session_id = s.id AND a.intern_id = u.id
          WHERE ${expects('s')}
            AND s.starts_at > $3 AND s.ends_at > $4 AND s.ends_at <= $2
            AND (a.status IS NULL OR a.status = 'absent')
            AND NOT EXISTS (SELECT 1 FROM reminder_log l WHERE l.user_id = u.id AND l.kind = 'teaching_session_missed' AND l.period = s.id::text)`,
      [now, endedBy, startedAfter, endedAfter],
    );
  }

  /** Claims (user, kind, period) with its mail: false when it was claimed before. */
  async claim(userId: string, kind: string, period: string, mail: unknown): Promise<boolean> {
    const claimed = await this.db.query(`INSERT INTO reminder_log (user_id, kind, period, mail) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING user_id`, [userId, kind, period, mail]);
    return claimed.length > 0;
  }

  /** The mails of reminders claimed and not queued (a run died in between). */
  async claimedUnqueued<M>(): Promise<M[]> {
    const rows = await this.db.query<{ mail: M }>(`SELECT mail FROM reminder_log WHERE queued_at IS NULL AND mail IS NOT NULL`);
    return rows.map((row) => row.mail);
  }

  async markQueued(userId: string, kind: string, period: string): Promise<void> {
    await this.db.query(`UPDATE reminder_log SET queued_at = now() WHERE user_id = $1 AND kind = $2 AND period = $3`, [userId, kind, period]);
  }
}
