import { MigrationInterface, QueryRunner } from 'typeorm';

export class Identity1764000001000 implements MigrationInterface {
  name = 'Identity1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE upp (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code       text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX upp_code_key ON upp (code)`);

    // A promotion is the cohort by year of DES entry; rows appear as interns are imported.
    await q.query(`
      CREATE TABLE promotion (
        year       integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE app_user (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email           text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
        last_name       text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
        first_name      text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
        roles           text[] NOT NULL CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY['intern','tutor','jury','admin']::text[]),
        upp_id          uuid REFERENCES upp (id),
        promotion       integer REFERENCES promotion (year),
        password_hash   text,
        active          boolean NOT NULL DEFAULT true,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        -- an intern belongs to a promotion; nobody else has one
        CONSTRAINT app_user_promotion_only_for_interns CHECK ((promotion IS NOT NULL) = ('intern' = ANY (roles)))
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (email)`);
    await q.query(`CREATE INDEX app_user_roles_idx ON app_user USING gin (roles)`);
    await q.query(`CREATE INDEX app_user_upp_idx ON app_user (upp_id)`);
    await q.query(`CREATE INDEX app_user_promotion_idx ON app_user (promotion) WHERE promotion IS NOT NULL`);
    await q.query(`
      CREATE INDEX app_user_search_idx ON app_user
      USING gin ((lower(last_name || ' ' || first_name || ' ' || email)) gin_trgm_ops)`);

    // Opaque bearer tokens; only their SHA-256 is stored, so a database leak reveals no session.
    await q.query(`
      CREATE TABLE session (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id      uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        token_hash   bytea NOT NULL,
        csrf_token   text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        revoked_at   timestamptz,
        ip           text,
        user_agent   text
      )`);
    await q.query(`CREATE UNIQUE INDEX session_token_hash_key ON session (token_hash)`);
    await q.query(`CREATE INDEX session_user_idx ON session (user_id) WHERE revoked_at IS NULL`);

    // Single-use links sent by mail: invitations (first password) and password resets.
    await q.query(`
      CREATE TABLE one_time_token (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id     uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        purpose     text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
        token_hash  bytea NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX one_time_token_hash_key ON one_time_token (token_hash)`);
    await q.query(`CREATE INDEX one_time_token_user_idx ON one_time_token (user_id, purpose) WHERE used_at IS NULL`);

    // The two rules that must never break, held by the database itself: a tutor has at most
    // one active tutee per promotion; an intern has at most one active tutor. History is kept
    // (ended_at), so a tutee can change tutor and a past tutor keeps what they reviewed.
    await q.query(`
      CREATE TABLE tutorship (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tutor_id    uuid NOT NULL REFERENCES app_user (id),
        intern_id   uuid NOT NULL REFERENCES app_user (id),
        promotion   integer NOT NULL REFERENCES promotion (year),
        started_at  timestamptz NOT NULL DEFAULT now(),
        ended_at    timestamptz,
        end_reason  text,
        created_by  uuid REFERENCES app_user (id),
        CONSTRAINT tutorship_not_self CHECK (tutor_id <> intern_id),
        CONSTRAINT tutorship_end_has_reason CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX tutorship_one_active_per_tutor_and_promotion ON tutorship (tutor_id, promotion) WHERE ended_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX tutorship_one_active_per_intern ON tutorship (intern_id) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX tutorship_tutor_idx ON tutorship (tutor_id, started_at DESC)`);
    await q.query(`CREATE INDEX tutorship_intern_idx ON tutorship (intern_id, started_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tutorship`);
    await q.query(`DROP TABLE one_time_token`);
    await q.query(`DROP TABLE session`);
    await q.query(`DROP TABLE app_user`);
    await q.query(`DROP TABLE promotion`);
    await q.query(`DROP TABLE upp`);
  }
}
