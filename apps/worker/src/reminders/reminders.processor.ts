import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { CARNET_CONFIG, CarnetConfig } from '@carnet/config';
import { User } from '@carnet/database';
import { EVALUATION_OPENS_DAYS_BEFORE_END, parisDay, Phase, sessionWhen, STAGE_LABELS, StageKind } from '@carnet/domain';
import { reminderTemplates, stageEvaluationTemplates } from '@carnet/mail';
import { ProgressService } from '@carnet/portfolio';
import { JOB_PRODUCER, JobProducer, MailJob } from '@carnet/queue';

export const TUTOR_WAIT_DAYS = 14;
export const INTERN_IDLE_DAYS = 60;
export const SESSION_NOTICE_DAYS = 60;
/** A missed session is told once its lead has had a day to complete the roll, and up to 30 days after its end. */
export const MISSED_SESSION_GRACE_HOURS = 24;
export const MISSED_SESSION_NOTICE_DAYS = 30;
/** The longest session (the Assurance Maladie week, teaching.ts): bounds the start of sessions ended in the window. */
const LONGEST_SESSION_DAYS = 8;

const DAY = 86400_000;

/** Who a reminder goes to, selected with each candidate. */
interface RecipientRow {
  id: string;
  email: string;
  first_name: string;
}

/** ISO week of `date` in Paris ("2026-W48"): the period of the weekly digest. */
export function parisWeek(date: Date): string {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(date)
    .split('-')
    .map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7) + 3); // the Thursday of that week
  const firstThursday = new Date(Date.UTC(day.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((day.getTime() - firstThursday.getTime()) / DAY - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * The reminders that keep a portfolio alive, run once a day (08:00, Europe/Paris). Each is
 * claimed in `reminder_log` with its mail before it is queued: the primary key (user, kind,
 * period) makes it go out once, whatever the number of workers, restarts or kills (see
 * MailProcessor for the sending side). `now` is a parameter so tests drive the clock.
 */
@Injectable()
export class RemindersProcessor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CARNET_CONFIG) private readonly config: CarnetConfig,
    @Inject(JOB_PRODUCER) private readonly jobs: JobProducer,
    private readonly progress: ProgressService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('RemindersProcessor');
  }

  async run(now = new Date()): Promise<number> {
    await this.requeueClaimed();
    let sent = 0;
    sent += await this.tutorsWithWaitingTraces(now);
    sent += await this.idleInterns(now);
    sent += await this.internsShortBeforeSession(now);
    sent += await this.weeklyDigests(now);
    sent += await this.stalledThesisSteps(now);
    sent += await this.stageEvaluationsOpen(now);
    sent += await this.missedTeachingSessions(now);
    if (sent) this.logger.info({ sent }, 'reminders sent');
    return sent;
  }

  /** A trace waiting for its tutor for more than 14 days: one reminder per trace. */
  private async tutorsWithWaitingTraces(now: Date): Promise<number> {
    const rows: (RecipientRow & { trace_id: string; title: string; intern: string; submitted_at: Date })[] = await this.dataSource.query(
      `SELECT tu.id, tu.email, tu.first_name, t.id AS trace_id, t.title, i.first_name || ' ' || i.last_name AS intern, t.submitted_at
         FROM trace t
         JOIN tutorship ts ON ts.intern_id = t.intern_id AND ts.ended_at IS NULL
         JOIN app_user i ON i.id = t.intern_id
         JOIN app_user tu ON tu.id = ts.tutor_id AND tu.active AND tu.reminders_enabled
        WHERE t.status = 'submitted' AND t.submitted_at < $1`,
      [new Date(now.getTime() - TUTOR_WAIT_DAYS * DAY)],
    );
    let sent = 0;
    for (const row of rows) {
      const days = Math.floor((now.getTime() - row.submitted_at.getTime()) / DAY);
      sent += await this.once(row, 'tutor_waiting', `${row.trace_id}:${row.submitted_at.toISOString()}`, (tutor) =>
        reminderTemplates.traceWaiting(tutor.email, tutor.first_name, row.intern, row.title, days, `${this.config.http.publicUrl}/traces/${row.trace_id}`),
      );
    }
    return sent;
  }

  /** An intern who has validated nothing for 60 days: one nudge per idle stretch. */
  private async idleInterns(now: Date): Promise<number> {
    const rows: (RecipientRow & { last: Date | null })[] = await this.dataSource.query(
      `SELECT u.id, u.email, u.first_name, max(t.validated_at) AS last
         FROM app_user u
         LEFT JOIN trace t ON t.intern_id = u.id AND t.status = 'validated'
        WHERE 'intern' = ANY(u.roles) AND u.active AND u.reminders_enabled AND u.created_at < $1
        GROUP BY u.id
       HAVING max(t.validated_at) IS NULL OR max(t.validated_at) < $1`,
      [new Date(now.getTime() - INTERN_IDLE_DAYS * DAY)],
    );
    let sent = 0;
    for (const row of rows) {
      sent += await this.once(row, 'intern_idle', row.last ? row.last.toISOString() : 'never', (intern) =>
        reminderTemplates.internIdle(intern.email, intern.first_name, INTERN_IDLE_DAYS, `${this.config.http.publicUrl}/`),
      );
    }
    return sent;
  }

  /** 60 days before a jury session, an intern short of the phase's requirements hears what is missing. */
  private async internsShortBeforeSession(now: Date): Promise<number> {
    const rows: { session_id: string; phase: Phase; opens_at: Date; intern_id: string }[] = await this.dataSource.query(
      `SELECT s.id AS session_id, s.phase, s.opens_at, ji.intern_id
         FROM jury_session s JOIN jury_intern ji ON ji.session_id = s.id
         JOIN app_user u ON u.id = ji.intern_id AND u.active AND u.reminders_enabled
        WHERE s.opens_at > $1 AND s.opens_at <= $2
          -- the gaps are worked out (a progress computation each) only for interns not yet told
          AND NOT EXISTS (SELECT 1 FROM reminder_log l WHERE l.user_id = ji.intern_id AND l.kind = 'session_gaps' AND l.period = s.id::text)`,
      [now, new Date(now.getTime() + SESSION_NOTICE_DAYS * DAY)],
    );
    let sent = 0;
    for (const row of rows) {
      const intern = await this.dataSource.getRepository(User).findOneByOrFail({ id: row.intern_id });
      const progress = await this.progress.progress(intern, row.phase, now);
      if (!progress.gaps.length) continue;
      sent += await this.once({ id: intern.id, email: intern.email, first_name: intern.firstName }, 'session_gaps', row.session_id, (user) =>
        reminderTemplates.sessionGaps(user.email, user.first_name, progress.summary, row.opens_at, `${this.config.http.publicUrl}/progression`),
      );
    }
    return sent;
  }

  /** One mail a week per tutor with traces waiting: a digest, not one mail per event. */
  private async weeklyDigests(now: Date): Promise<number> {
    const rows: (RecipientRow & { waiting: number; oldest: Date })[] = await this.dataSource.query(
      `SELECT tu.id, tu.email, tu.first_name, count(*)::int AS waiting, min(t.submitted_at) AS oldest
         FROM trace t
         JOIN tutorship ts ON ts.intern_id = t.intern_id AND ts.ended_at IS NULL
         JOIN app_user tu ON tu.id = ts.tutor_id AND tu.active AND tu.reminders_enabled
        WHERE t.status = 'submitted'
        GROUP BY tu.id`,
    );
    let sent = 0;
    for (const row of rows) {
      sent += await this.once(row, 'tutor_digest', parisWeek(now), (tutor) =>
        reminderTemplates.weeklyDigest(tutor.email, tutor.first_name, row.waiting, Math.floor((now.getTime() - row.oldest.getTime()) / DAY), `${this.config.http.publicUrl}/relectures`),
      );
    }
    return sent;
  }

  /** A thesis step whose planned day has passed undone: its intern is told once per planned day (a new day re-arms it). */
  private async stalledThesisSteps(now: Date): Promise<number> {
    const rows: (RecipientRow & { step_id: string; label: string; planned_on: string })[] = await this.dataSource.query(
      `SELECT u.id, u.email, u.first_name, s.id AS step_id, s.label, s.planned_on::text AS planned_on
         FROM thesis_step s JOIN thesis t ON t.id = s.thesis_id
         JOIN app_user u ON u.id = t.intern_id AND u.active AND u.reminders_enabled
        WHERE s.done_on IS NULL AND s.planned_on < $1::date`,
      [parisDay(now)],
    );
    let sent = 0;
    for (const row of rows) {
      const day = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${row.planned_on}T00:00:00Z`));
      sent += await this.once(row, 'thesis_step_stalled', `${row.step_id}:${row.planned_on}`, (intern) =>
        reminderTemplates.thesisStepStalled(intern.email, intern.first_name, row.label, day, `${this.config.http.publicUrl}/these`),
      );
    }
    return sent;
  }

  /**
   * A stage whose end-of-stage forms open (14 days before its end, up to 60 days after it): each
   * supervisor with an account who has not evaluated the intern, and the intern who has not
   * evaluated the stage, are told once per stage. Evaluators without an account get their link
   * from the DUMG.
   */
  private async stageEvaluationsOpen(now: Date): Promise<number> {
    const today = parisDay(now);
    const window = `s.ends_on - ${EVALUATION_OPENS_DAYS_BEFORE_END} <= $1::date AND s.ends_on >= $1::date - 60`;
    const supervisors: (RecipientRow & { stage_id: string; kind: StageKind; ends_on: string; intern: string })[] = await this.dataSource.query(
      `SELECT DISTINCT u.id, u.email, u.first_name, s.id AS stage_id, s.kind, s.ends_on::text AS ends_on, i.first_name || ' ' || i.last_name AS intern
         FROM stage s JOIN stage_supervisor ss ON ss.stage_id = s.id
         JOIN app_user u ON u.id = ss.tutor_id AND u.active AND u.reminders_enabled
         JOIN app_user i ON i.id = s.intern_id
        WHERE ${window} AND NOT EXISTS (SELECT 1 FROM stage_evaluation e WHERE e.stage_id = s.id AND e.author_id = u.id)`,
      [today],
    );
    const interns: (RecipientRow & { stage_id: string; kind: StageKind })[] = await this.dataSource.query(
      `SELECT u.id, u.email, u.first_name, s.id AS stage_id, s.kind
         FROM stage s JOIN app_user u ON u.id = s.intern_id AND u.active AND u.reminders_enabled
        WHERE ${window} AND NOT EXISTS (SELECT 1 FROM stage_feedback f WHERE f.stage_id = s.id)`,
      [today],
    );
    let sent = 0;
    for (const row of supervisors) {
      sent += await this.once(row, 'stage_evaluation_open', row.stage_id, (msu) =>
        stageEvaluationTemplates.evaluationOpen(msu.email, msu.first_name, row.intern, STAGE_LABELS[row.kind], row.ends_on, `${this.config.http.publicUrl}/evaluations-stage`),
      );
    }
    for (const row of interns) {
      sent += await this.once(row, 'stage_feedback_open', row.stage_id, (intern) =>
        stageEvaluationTemplates.feedbackOpen(intern.email, intern.first_name, STAGE_LABELS[row.kind], `${this.config.http.publicUrl}/progression`),
      );
    }
    return sent;
  }

  /**
   * A mandatory teaching session an intern was expected at (their promotion and UPP, or everyone,
   * in their faculty: progress's rule) which ended without them, neither present nor excused:
   * they are told once per session, with the next mandatory session of the same kind expecting
   * them, if any. The lead has a day after the end to complete the roll; sessions ended more
   * than 30 days ago are not told (nor, at the upgrade, the whole past).
   */
  private async missedTeachingSessions(now: Date): Promise<number> {
    const expects = (s: string) => `${s}.mandatory AND ${s}.faculty_id = u.faculty_id
          AND (cardinality(${s}.promotions) = 0 OR u.promotion = ANY (${s}.promotions))
          AND (cardinality(${s}.upp_ids) = 0 OR u.upp_id = ANY (${s}.upp_ids))`;
    const rows: (RecipientRow & { session_id: string; title: string; starts_at: Date; ends_at: Date; next: { title: string; starts_at: string; ends_at: string; place: string } | null })[] =
      await this.dataSource.query(
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
        [
          now,
          new Date(now.getTime() - MISSED_SESSION_GRACE_HOURS * 3_600_000),
          // On the start too, so the index on starts_at serves the sweep.
          new Date(now.getTime() - (MISSED_SESSION_NOTICE_DAYS + LONGEST_SESSION_DAYS) * DAY),
          new Date(now.getTime() - MISSED_SESSION_NOTICE_DAYS * DAY),
        ],
      );
    let sent = 0;
    for (const row of rows) {
      const next = row.next ? { title: row.next.title, when: sessionWhen(new Date(row.next.starts_at), new Date(row.next.ends_at)), place: row.next.place } : null;
      sent += await this.once(row, 'teaching_session_missed', row.session_id, (intern) =>
        reminderTemplates.teachingSessionMissed(intern.email, intern.first_name, { title: row.title, when: sessionWhen(row.starts_at, row.ends_at) }, next, `${this.config.http.publicUrl}/enseignements/${row.session_id}`),
      );
    }
    return sent;
  }

  /**
   * Claims (user, kind, period) with its mail, in one row: only the claimant queues it. A run
   * killed between the claim and the queue leaves the row unqueued for the next run to finish.
   * The recipient comes with the candidate rows: no lookup per reminder.
   */
  private async once(recipient: RecipientRow, kind: string, period: string, mail: (recipient: RecipientRow) => MailJob): Promise<number> {
    const message: MailJob = { ...mail(recipient), reminder: { userId: recipient.id, kind, period } };
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO reminder_log (user_id, kind, period, mail) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING user_id`,
      [recipient.id, kind, period, message],
    );
    if (!claimed.length) return 0;
    await this.queue(message);
    return 1;
  }

  /** Reminders an earlier run claimed but died before queueing. Queued twice is harmless: same job id, and the mail worker sends once. */
  private async requeueClaimed(): Promise<number> {
    const rows: { mail: MailJob }[] = await this.dataSource.query(`SELECT mail FROM reminder_log WHERE queued_at IS NULL AND mail IS NOT NULL`);
    for (const row of rows) await this.queue(row.mail);
    if (rows.length) this.logger.warn({ requeued: rows.length }, 'reminders claimed by an interrupted run queued again');
    return rows.length;
  }

  private async queue(message: MailJob): Promise<void> {
    const { userId, kind, period } = message.reminder!;
    await this.jobs.enqueue('mail.send', message, { jobId: `reminder-${userId}-${kind}-${period}`.replace(/[^\w-]/g, '_') });
    await this.dataSource.query(`UPDATE reminder_log SET queued_at = now() WHERE user_id = $1 AND kind = $2 AND period = $3`, [userId, kind, period]);
  }
}
