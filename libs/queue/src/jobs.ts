import type { JobsOptions } from 'bullmq';

/** Queue names. One queue per kind of work, so a slow export never delays a mail. */
export const QueueName = {
  Mail: 'mail',
  Exports: 'exports',
  Reminders: 'reminders',
  /** Attachment scans: OCR is slow, so it waits behind nothing else and delays nothing. */
  Scans: 'scans',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface MailJob {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The reminder this mail delivers (its `reminder_log` key): the mail worker sends it once. */
  reminder?: ReminderKey;
}

export interface ReminderKey {
  userId: string;
  kind: string;
  period: string;
}

/** Every job the system runs, with its payload. A worker must handle each exactly once. */
export interface ExportJob {
  exportId: string;
}

/** Scans an uploaded attachment for patient identifiers (its `attachment_scan` row, pending). */
export interface AttachmentScanJob {
  attachmentId: string;
}

/** The job id of an attachment's scan: the upload and the worker's start enqueue it once between them. */
export const scanJobId = (attachmentId: string) => `scan-${attachmentId}`;

export interface JobPayloads {
  'mail.send': MailJob;
  'export.build': ExportJob;
  /** Repeatable: deletes exports past their retention. */
  'exports.cleanup': Record<string, never>;
  /** Repeatable, daily: reminders and digests. */
  'reminders.run': Record<string, never>;
  /** Repeatable, daily: deletes portfolios past their retention. */
  'retention.purge': Record<string, never>;
  /** Repeatable, daily, and once at a worker's start: rolls the audit log's final days up into its daily counts. */
  'audit.rollup': Record<string, never>;
  'attachment.scan': AttachmentScanJob;
}
export type JobName = keyof JobPayloads;

/** The queue each job goes to. */
export const JOB_QUEUES: { readonly [K in JobName]: QueueName } = {
  'mail.send': QueueName.Mail,
  'export.build': QueueName.Exports,
  'exports.cleanup': QueueName.Exports,
  'reminders.run': QueueName.Reminders,
  'retention.purge': QueueName.Reminders,
  'audit.rollup': QueueName.Reminders,
  'attachment.scan': QueueName.Scans,
};

export const JOB_NAMES = Object.keys(JOB_QUEUES) as JobName[];

/** Retries with exponential backoff; finished jobs are kept a while for the admin dashboard. */
export const QUEUE_DEFAULTS: { readonly [Q in QueueName]: JobsOptions } = {
  [QueueName.Mail]: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
  [QueueName.Reminders]: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 60_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 100 },
  },
  // A file that cannot be read is recorded as failed at once; retries are for a storage or
  // database that did not answer.
  [QueueName.Scans]: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 10_000 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
  [QueueName.Exports]: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 10_000 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  },
};

export type JobHandlers = {
  [K in JobName]: (payload: JobPayloads[K], context: JobContext) => Promise<unknown>;
};

export interface JobContext {
  jobId: string;
  /** 1 for the first run. */
  attempt: number;
  maxAttempts: number;
  reportProgress(percent: number): Promise<void>;
}
