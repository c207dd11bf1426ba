import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in and reset attempts counted over a sliding window: one row per attempt that took a slot
 * (an account, an account from one of its owner's addresses, an address, a reset address or
 * sender), counted over the last window whatever the clock says. The fixed windows before it
 * (a counter per key and quarter of an hour) gave an address 30 guesses just before a quarter and
 * 30 more just after: twice the limit within a minute.
 */
export class LoginAttemptsSliding1764000037000 implements MigrationInterface {
  name = 'LoginAttemptsSliding1764000037000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_attempt_log (
        id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key text NOT NULL,
        at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX login_attempt_log_key_at_idx ON login_attempt_log (key, at)`);
    await q.query(`CREATE INDEX login_attempt_log_at_idx ON login_attempt_log (at)`);
    await q.query(`DROP TABLE login_attempt`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_attempt (
        key          text NOT NULL,
        window_start timestamptz NOT NULL,
        attempts     integer NOT NULL,
        PRIMARY KEY (key, window_start)
      )`);
    await q.query(`CREATE INDEX login_attempt_window_idx ON login_attempt (window_start)`);
    await q.query(`DROP TABLE login_attempt_log`);
  }
}
