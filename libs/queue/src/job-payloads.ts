import { UnrecoverableError } from 'bullmq';
import type { JobName, JobPayloads } from './jobs';

/**
 * Each job's payload as the consumer checks it before any handler runs. The types of `jobs.ts`
 * hold for what this version enqueues; a job waiting in the queue may come from another version
 * (an older API, a reminder stored before an upgrade), and must fail at once, naming what does
 * not fit, rather than run half-way on a field that is not there.
 */

/** What is wrong with a payload: the field (a dotted path), what it should be, what it is. */
export interface PayloadProblem {
  field: string;
  expected: string;
  got: string;
}

interface FieldRule {
  /** What the field should be, in words. */
  expected: string;
  optional: boolean;
  check(value: unknown, field: string): PayloadProblem | null;
}

/** A rule for every field of `T`, optional ones included: a field added to a payload type needs its rule. */
export type PayloadShape<T> = { readonly [F in keyof T]-?: FieldRule };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function describe(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'une liste';
  if (typeof value === 'string') return value.length > 40 ? `« ${value.slice(0, 40)}… »` : `« ${value} »`;
  if (typeof value === 'object') return 'un objet';
  if (typeof value === 'number') return `le nombre ${value}`;
  if (typeof value === 'boolean') return `le booléen ${value}`;
  return typeof value;
}

const scalar = (expected: string, accepts: (value: unknown) => boolean): FieldRule => ({
  expected,
  optional: false,
  check: (value, field) => (accepts(value) ? null : { field, expected, got: describe(value) }),
});

const text = scalar('une chaîne non vide', (value) => typeof value === 'string' && value.length > 0);
const uuid = scalar('un identifiant (uuid)', (value) => typeof value === 'string' && UUID.test(value));
const optional = (rule: FieldRule): FieldRule => ({ ...rule, optional: true });
const object = <T>(shape: PayloadShape<T>): FieldRule => ({ expected: 'un objet', optional: false, check: (value, field) => shapeProblem(shape, value, field) });

/** What a problem expects of a field this version does not have. */
const NO_SUCH_FIELD = 'absent';

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** The first problem of `value` against `shape` (unknown fields included), or null when it fits. */
function shapeProblem(shape: Readonly<Record<string, FieldRule>>, value: unknown, path: string): PayloadProblem | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { field: path || '(charge utile)', expected: 'un objet', got: describe(value) };
  const fields = value as Record<string, unknown>;
  // A field this version does not know may carry what an older or newer one meant: not ignored.
  const unknown = Object.keys(fields).find((key) => !Object.hasOwn(shape, key));
  if (unknown !== undefined) return { field: join(path, unknown), expected: NO_SUCH_FIELD, got: describe(fields[unknown]) };
  for (const [key, rule] of Object.entries(shape)) {
    const field = join(path, key);
    if (fields[key] === undefined) {
      if (rule.optional) continue;
      return { field, expected: rule.expected, got: 'absent' };
    }
    const problem = rule.check(fields[key], field);
    if (problem) return problem;
  }
  return null;
}

const none: PayloadShape<Record<string, never>> = {};

export const JOB_PAYLOAD_SHAPES: { readonly [K in JobName]: PayloadShape<JobPayloads[K]> } = {
  'mail.send': {
    to: text,
    subject: text,
    text: text,
    html: optional(text),
    reminder: optional(object<NonNullable<JobPayloads['mail.send']['reminder']>>({ userId: uuid, kind: text, period: text })),
  },
  'export.build': { exportId: uuid },
  'exports.cleanup': none,
  'reminders.run': none,
  'retention.purge': none,
  'audit.rollup': none,
  'attachment.scan': { attachmentId: uuid },
};

/** A job whose payload does not fit its name's shape: failed at once, never retried (BullMQ's UnrecoverableError). */
export class InvalidJobPayloadError extends UnrecoverableError {
  override readonly name = 'InvalidJobPayloadError';

  constructor(
    readonly job: string,
    readonly jobId: string,
    readonly problem: PayloadProblem,
  ) {
    const what =
      problem.expected === NO_SUCH_FIELD
        ? `le champ ${problem.field} est inconnu de cette version (il vaut ${problem.got})`
        : `le champ ${problem.field} devrait être ${problem.expected}, il est ${problem.got}`;
    super(`Tâche ${job}${jobId ? ` (${jobId})` : ''} refusée sans être exécutée : ${what}. Sans doute mise en file par une autre version de Carnet ; elle ne sera pas relancée.`);
  }
}

/** A job under a name this version does not run: failed at once, never retried. */
export class UnknownJobError extends UnrecoverableError {
  override readonly name = 'UnknownJobError';

  constructor(readonly job: string, readonly jobId: string) {
    super(`Tâche ${job}${jobId ? ` (${jobId})` : ''} refusée : ce nom de tâche est inconnu de cette version de Carnet ; elle ne sera pas relancée.`);
  }
}

export const isJobName = (name: string): name is JobName => Object.hasOwn(JOB_PAYLOAD_SHAPES, name);

/** The first problem of a job's payload, or null when it fits its name's shape. */
export function payloadProblem(name: JobName, payload: unknown): PayloadProblem | null {
  return shapeProblem(JOB_PAYLOAD_SHAPES[name], payload, '');
}

/** The payload, typed, when it fits the job's shape; an `UnknownJobError` or `InvalidJobPayloadError` otherwise. */
export function checkedPayload<K extends JobName>(name: K, payload: unknown, jobId = ''): JobPayloads[K] {
  if (!isJobName(name)) throw new UnknownJobError(name, jobId);
  const problem = payloadProblem(name, payload);
  if (problem) throw new InvalidJobPayloadError(name, jobId, problem);
  return payload as JobPayloads[K];
}
