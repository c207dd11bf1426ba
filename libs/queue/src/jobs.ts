import type { JobsOptions } from 'bullmq';

/** Queue names. One queue per kind of work, so a slow export never delays a mail. */
export const QueueName = {
  Mail: 'mail',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface MailJob {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Every job the system runs, with its payload. A worker must handle each exactly once. */
export interface JobPayloads {
  'mail.send': MailJob;
}
export type JobName = keyof JobPayloads;

/** The queue each job goes to. */
export const JOB_QUEUES: { readonly [K in JobName]: QueueName } = {
  'mail.send': QueueName.Mail,
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
};

export type JobHandlers = {
  [K in JobName]: (payload: JobPayloads[K], context: JobContext) => Promise<unknown>;
};

export interface JobContext {
  jobId: string;
  attempt: number;
  reportProgress(percent: number): Promise<void>;
}
