import { UnrecoverableError, type Job } from 'bullmq';
import { JobConsumer } from './job-consumer';
import { checkedPayload, InvalidJobPayloadError, JOB_PAYLOAD_SHAPES, payloadProblem, UnknownJobError } from './job-payloads';
import { JOB_NAMES, JobHandlers } from './jobs';
import type { QueueBackend } from './queue-backend';

const ID = '0b8f6a2e-5d7c-4c1e-9a43-2f6d8e1b7c90';

describe('job payloads, checked when a job is taken', () => {
  it('has a shape for every job name, and none for a name nobody enqueues', () => {
    expect(Object.keys(JOB_PAYLOAD_SHAPES).sort()).toEqual([...JOB_NAMES].sort());
  });

  it('takes what this version enqueues, as it is', () => {
    const reminder = { to: 'interne@dumg.test', subject: 'Rappel', text: 'Deux traces attendent', html: '<p>Deux traces</p>', reminder: { userId: ID, kind: 'weekly', period: '2026-W49' } };
    expect(checkedPayload('mail.send', reminder)).toBe(reminder);
    expect(payloadProblem('mail.send', { to: 'a@dumg.test', subject: 'Objet', text: 'Texte' })).toBeNull();
    expect(payloadProblem('export.build', { exportId: ID })).toBeNull();
    expect(payloadProblem('attachment.scan', { attachmentId: ID })).toBeNull();
    expect(payloadProblem('reminders.run', {})).toBeNull();
  });

  it.each<[string, Parameters<typeof payloadProblem>[0], unknown, { field: string; expected: string; got: string }]>([
    ['a field renamed since', 'export.build', { id: ID }, { field: 'id', expected: 'absent', got: `« ${ID} »` }],
    ['a required field missing', 'export.build', {}, { field: 'exportId', expected: 'un identifiant (uuid)', got: 'absent' }],
    ['a field of another type', 'attachment.scan', { attachmentId: 42 }, { field: 'attachmentId', expected: 'un identifiant (uuid)', got: 'le nombre 42' }],
    ['an empty mail subject', 'mail.send', { to: 'a@dumg.test', subject: '', text: 'Texte' }, { field: 'subject', expected: 'une chaîne non vide', got: '«  »' }],
    ['a nested field missing', 'mail.send', { to: 'a@dumg.test', subject: 'Objet', text: 'Texte', reminder: { userId: ID, kind: 'weekly' } }, { field: 'reminder.period', expected: 'une chaîne non vide', got: 'absent' }],
    ['a payload that is no object', 'audit.rollup', null, { field: '(charge utile)', expected: 'un objet', got: 'null' }],
    ['a repeatable job given data', 'retention.purge', { days: 30 }, { field: 'days', expected: 'absent', got: 'le nombre 30' }],
  ])('names the field of %s', (_case, name, payload, problem) => {
    expect(payloadProblem(name, payload)).toEqual(problem);
  });

  it('refuses with an error that is not retried and names the job, its id and the field', () => {
    let error: unknown;
    try {
      checkedPayload('export.build', { exportId: 'export-7' }, '17');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidJobPayloadError);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toBe(
      'Tâche export.build (17) refusée sans être exécutée : le champ exportId devrait être un identifiant (uuid), il est « export-7 ». Sans doute mise en file par une autre version de Carnet ; elle ne sera pas relancée.',
    );
  });

  it('says a field this version does not know is unknown', () => {
    expect(() => checkedPayload('attachment.scan', { attachmentId: ID, pages: 3 }, '5')).toThrow(
      'Tâche attachment.scan (5) refusée sans être exécutée : le champ pages est inconnu de cette version (il vaut le nombre 3).',
    );
  });

  it('refuses a job name this version does not run, without retry', () => {
    expect(() => checkedPayload('export.legacy' as never, {}, '3')).toThrow(UnknownJobError);
    expect(() => checkedPayload('export.legacy' as never, {}, '3')).toThrow(/export\.legacy/);
  });
});

describe('the job consumer', () => {
  /** A backend whose workers hand their processor to the test instead of a queue. */
  function fakeBackend() {
    const processors = new Map<string, (job: Job) => Promise<unknown>>();
    const backend = {
      kind: 'redis',
      createQueue: () => {
        throw new Error('not used');
      },
      createWorker: (queue: string, processor: (job: Job) => Promise<unknown>) => {
        processors.set(queue, processor);
        return { run: async () => undefined, waitUntilReady: async () => undefined, close: async () => undefined };
      },
    } as unknown as QueueBackend;
    return { backend, processors };
  }
  const job = (name: string, data: unknown) => ({ name, data, id: '9', attemptsMade: 0, opts: { attempts: 3 }, updateProgress: async () => undefined }) as unknown as Job;

  it('never starts a handler on a payload that does not fit, and counts the job as failed', async () => {
    const { backend, processors } = fakeBackend();
    const ran: string[] = [];
    const finished: [string, boolean][] = [];
    const handlers = Object.fromEntries(JOB_NAMES.map((name) => [name, async (payload: unknown) => ran.push(`${name} ${JSON.stringify(payload)}`)])) as unknown as JobHandlers;
    const consumer = new JobConsumer(backend, handlers, { concurrency: 1, onJobFinished: (name, _seconds, ok) => finished.push([name, ok]) });
    await consumer.start();

    await expect(processors.get('exports')!(job('export.build', { exportId: 12 }))).rejects.toThrow(InvalidJobPayloadError);
    await expect(processors.get('exports')!(job('export.build', { exportId: 12 }))).rejects.toThrow('Tâche export.build (9) refusée sans être exécutée : le champ exportId');
    expect(ran).toEqual([]);

    await processors.get('exports')!(job('export.build', { exportId: ID }));
    expect(ran).toEqual([`export.build {"exportId":"${ID}"}`]);
    expect(finished).toEqual([
      ['export.build', false],
      ['export.build', false],
      ['export.build', true],
    ]);
    await consumer.close();
  });
});
