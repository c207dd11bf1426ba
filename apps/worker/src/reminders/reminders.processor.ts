import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { CARNET_CONFIG, CarnetConfig } from '@carnet/config';
import { RecipientRow, ReminderRepository, UserRepository } from '@carnet/database';
import { parisDay, sessionWhen, STAGE_LABELS } from '@carnet/domain';
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
    private readonly reminders: ReminderRepository,
    private readonly users: UserRepository,
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
    const rows = await this.reminders.tracesWaitingSince(new Date(now.getTime() - TUTOR_WAIT_DAYS * DAY));
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
    const rows = await this.reminders.idleInternsSince(new Date(now.getTime() - INTERN_IDLE_DAYS * DAY));
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
    const rows = await this.reminders.internsOfSessionsOpening(now, new Date(now.getTime() + SESSION_NOTICE_DAYS * DAY));
    let sent = 0;
    for (const row of rows) {
      const intern = await this.users.getById(row.intern_id);
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
    const rows = await this.reminders.tutorsWithWaitingTraces();
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
    const rows = await this.reminders.stalledThesisSteps(parisDay(now));
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
    const supervisors = await this.reminders.stageSupervisorsToEvaluate(today);
    const interns = await this.reminders.stageInternsToGiveFeedback(today);
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
    const rows = await this.reminders.missedSessions(
      now,
      new Date(now.getTime() - MISSED_SESSION_GRACE_HOURS * 3_600_000),
      // On the start too, so the index on starts_at serves the sweep.
      new Date(now.getTime() - (MISSED_SESSION_NOTICE_DAYS + LONGEST_SESSION_DAYS) * DAY),
      new Date(now.getTime() - MISSED_SESSION_NOTICE_DAYS * DAY),
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
    if (!(await this.reminders.claim(recipient.id, kind, period, message))) return 0;
    await this.queue(message);
    return 1;
  }

  /** Reminders an earlier run claimed but died before queueing. Queued twice is harmless: same job id, and the mail worker sends once. */
  private async requeueClaimed(): Promise<number> {
    const rows = await this.reminders.claimedUnqueued<MailJob>();
    for (const mail of rows) await this.queue(mail);
    if (rows.length) this.logger.warn({ requeued: rows.length }, 'reminders claimed by an interrupted run queued again');
    return rows.length;
  }

  private async queue(message: MailJob): Promise<void> {
    const { userId, kind, period } = message.reminder!;
    await this.jobs.enqueue('mail.send', message, { jobId: `reminder-${userId}-${kind}-${period}`.replace(/[^\w-]/g, '_') });
    await this.reminders.markQueued(userId, kind, period);
  }
}
