import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReminderOutbox1764000007000 implements MigrationInterface {
  name = 'ReminderOutbox1764000007000';

  async up(q: QueryRunner): Promise<void> {
    // A reminder is claimed with its mail (an outbox), queued, then taken for sending and marked
    // sent by the mail worker: a run killed between claim and queue is finished by the next run,
    // and a mail job run twice (a duplicate enqueue, a worker killed mid-send) never sends twice.
    await q.query(`ALTER TABLE reminder_log RENAME COLUMN sent_at TO claimed_at`);
    await q.query(`ALTER TABLE reminder_log ADD COLUMN mail jsonb, ADD COLUMN queued_at timestamptz, ADD COLUMN sending_at timestamptz, ADD COLUMN sent_at timestamptz`);
    await q.query(`UPDATE reminder_log SET queued_at = claimed_at, sending_at = claimed_at, sent_at = claimed_at`);
    await q.query(`CREATE INDEX reminder_log_unqueued_idx ON reminder_log (claimed_at) WHERE queued_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reminder_log_unqueued_idx`);
    await q.query(`ALTER TABLE reminder_log DROP COLUMN mail, DROP COLUMN queued_at, DROP COLUMN sending_at, DROP COLUMN sent_at`);
    await q.query(`ALTER TABLE reminder_log RENAME COLUMN claimed_at TO sent_at`);
  }
}
