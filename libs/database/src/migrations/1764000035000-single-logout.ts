import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single logout with the university (ADR 0006). A session opened through a university records
 * which faculty's provider opened it and what that provider will name it by when it signs the
 * person out: the OpenID `sub` and `sid`, or the CAS service ticket's SHA-256 (the ticket itself
 * would sign nobody in again, but it is a credential in the logs of CAS: only its hash is kept).
 * The ID token, needed as `id_token_hint` when Carnet's sign-out ends the university's session
 * too, is AES-256-GCM ciphertext under CARNET_SECRET_KEY, never the token.
 *
 * A link waiting for confirmation carries the same, for the session its confirmation opens.
 *
 * A faculty closed ends its sessions at once, whichever way they were opened: its members' sessions
 * were refused by the lookup already, but the session cache of each API process (migration 15)
 * heard nothing of it and kept answering for up to SESSION_CACHE_SECONDS. Rare enough that every
 * process forgets everything (`*`).
 *
 * `university_logout_token` remembers the `jti` of every back-channel logout token accepted,
 * until it expires, so that a captured token is refused when played again.
 */
export class SingleLogout1764000035000 implements MigrationInterface {
  name = 'SingleLogout1764000035000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['session', 'identity_link_proposal']) {
      await q.query(`
        ALTER TABLE ${table}
          ADD COLUMN university_sub         text CHECK (char_length(university_sub) <= 500),
          ADD COLUMN university_sid         text CHECK (char_length(university_sid) <= 500),
          ADD COLUMN university_ticket_hash bytea,
          ADD COLUMN university_id_token    bytea`);
    }
    await q.query(`
      ALTER TABLE session
        ADD COLUMN university_faculty_id uuid REFERENCES faculty (id) ON DELETE CASCADE,
        ADD COLUMN university_protocol   text CHECK (university_protocol IN ('cas', 'oidc')),
        ADD CONSTRAINT session_university_opened CHECK ((university_faculty_id IS NULL) = (university_protocol IS NULL))`);
    // The back-channel's three ways of naming a session, for live sessions only.
    await q.query(`CREATE INDEX session_university_sid_idx ON session (university_faculty_id, university_sid) WHERE university_sid IS NOT NULL AND revoked_at IS NULL`);
    await q.query(`CREATE INDEX session_university_sub_idx ON session (university_faculty_id, university_sub) WHERE university_sub IS NOT NULL AND revoked_at IS NULL`);
    await q.query(`CREATE INDEX session_university_ticket_idx ON session (university_faculty_id, university_ticket_hash) WHERE university_ticket_hash IS NOT NULL`);
    await q.query(`CREATE TRIGGER faculty_active_changed AFTER UPDATE OF active ON faculty FOR EACH STATEMENT EXECUTE FUNCTION carnet_session_changed()`);
    await q.query(`
      CREATE TABLE university_logout_token (
        faculty_id  uuid NOT NULL REFERENCES faculty (id) ON DELETE CASCADE,
        jti         text NOT NULL CHECK (char_length(jti) <= 500),
        received_at timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        PRIMARY KEY (faculty_id, jti)
      )`);
    await q.query(`CREATE INDEX university_logout_token_expires_idx ON university_logout_token (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE university_logout_token`);
    await q.query(`DROP TRIGGER faculty_active_changed ON faculty`);
    await q.query(`DROP INDEX session_university_ticket_idx`);
    await q.query(`DROP INDEX session_university_sub_idx`);
    await q.query(`DROP INDEX session_university_sid_idx`);
    await q.query(`ALTER TABLE session DROP CONSTRAINT session_university_opened, DROP COLUMN university_protocol, DROP COLUMN university_faculty_id`);
    for (const table of ['session', 'identity_link_proposal']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN university_id_token, DROP COLUMN university_ticket_hash, DROP COLUMN university_sid, DROP COLUMN university_sub`);
    }
  }
}
