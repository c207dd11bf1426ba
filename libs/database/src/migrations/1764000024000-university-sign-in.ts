import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in through the university (CAS 3.0 or OpenID Connect), configured per faculty from the
 * start: faculties themselves arrive later, so this creates their table with the one faculty of
 * today's deployments, and keys the configuration, the identities and the flows in progress by it.
 */
export class UniversitySignIn1764000024000 implements MigrationInterface {
  name = 'UniversitySignIn1764000024000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE faculty (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code       text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{2,40}$'),
        name       text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO faculty (code, name) VALUES ('dumg', 'DUMG')`);
    // client_secret is AES-256-GCM ciphertext (iv, tag and data), never the secret itself.
    await q.query(`
      CREATE TABLE university_sign_in (
        faculty_id               uuid PRIMARY KEY REFERENCES faculty (id) ON DELETE CASCADE,
        protocol                 text NOT NULL CHECK (protocol IN ('cas', 'oidc')),
        enabled                  boolean NOT NULL DEFAULT false,
        cas_url                  text,
        issuer                   text,
        client_id                text,
        client_secret            bytea,
        email_attribute          text NOT NULL,
        subject_attribute        text NOT NULL,
        button_label             text NOT NULL,
        intern_passwords_allowed boolean NOT NULL DEFAULT true,
        updated_at               timestamptz NOT NULL DEFAULT now(),
        updated_by               uuid REFERENCES app_user (id) ON DELETE SET NULL
      )`);
    await q.query(`
      CREATE TABLE user_identity (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        faculty_id uuid NOT NULL REFERENCES faculty (id) ON DELETE CASCADE,
        provider   text NOT NULL CHECK (provider IN ('cas', 'oidc')),
        subject    text NOT NULL,
        user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        linked_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT user_identity_subject_key UNIQUE (faculty_id, provider, subject),
        CONSTRAINT user_identity_user_key UNIQUE (user_id, faculty_id, provider)
      )`);
    // A sign-in in progress, bound to the browser that started it by the hash of its cookie's
    // secret: OpenID Connect's state, nonce and PKCE verifier stay here, never in the browser.
    await q.query(`
      CREATE TABLE university_sign_in_flow (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        faculty_id    uuid NOT NULL REFERENCES faculty (id) ON DELETE CASCADE,
        protocol      text NOT NULL CHECK (protocol IN ('cas', 'oidc')),
        binding_hash  bytea NOT NULL,
        state         text,
        nonce         text,
        code_verifier text,
        return_to     text NOT NULL DEFAULT '/',
        created_at    timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL,
        used_at       timestamptz
      )`);
    await q.query(`CREATE INDEX university_sign_in_flow_expires_idx ON university_sign_in_flow (expires_at)`);
    // A link proposed by e-mail match, waiting for its owner's confirmation on the web page.
    await q.query(`
      CREATE TABLE identity_link_proposal (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash   bytea NOT NULL UNIQUE,
        binding_hash bytea NOT NULL,
        faculty_id   uuid NOT NULL REFERENCES faculty (id) ON DELETE CASCADE,
        provider     text NOT NULL CHECK (provider IN ('cas', 'oidc')),
        subject      text NOT NULL,
        user_id      uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        return_to    text NOT NULL DEFAULT '/',
        created_at   timestamptz NOT NULL DEFAULT now(),
        expires_at   timestamptz NOT NULL,
        used_at      timestamptz
      )`);
    await q.query(`CREATE INDEX identity_link_proposal_user_idx ON identity_link_proposal (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identity_link_proposal`);
    await q.query(`DROP TABLE university_sign_in_flow`);
    await q.query(`DROP TABLE user_identity`);
    await q.query(`DROP TABLE university_sign_in`);
    await q.query(`DROP TABLE faculty`);
  }
}
