import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in attempts per key (an account, an account from one of its owner's addresses, an
 * address) and fixed window: a slot is taken by one upsert before a password is checked, so
 * concurrent attempts cannot all pass the limit (the audit log, counted before the failure was
 * written, let 35 of 40 simultaneous guesses through). Rows of past windows are deleted as new
 * ones come.
 */
export class LoginAttempts1764000019000 implements MigrationInterface {
  name = 'LoginAttempts1764000019000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_attempt (
        key          text NOT NULL,
        window_start timestamptz NOT NULL,
        attempts     integer NOT NULL,
        PRIMARY KEY (key, window_start)
      )`);
    await q.query(`CREATE INDEX login_attempt_window_idx ON login_attempt (window_start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_attempt`);
  }
}
