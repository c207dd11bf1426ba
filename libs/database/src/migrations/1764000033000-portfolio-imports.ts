import { MigrationInterface, QueryRunner } from 'typeorm';
import { disableFacultyRls, enableFacultyRls } from '../tenancy-migration';

const FACULTY = `faculty_id uuid NOT NULL DEFAULT carnet_current_faculty() REFERENCES faculty (id)`;

/** Both hold one faculty's data, sealed like the others (ADR 0007). */
const TABLES = ['portfolio_import', 'portfolio_import_trace'] as const;

/**
 * Portfolios imported from another Carnet's ZIP export (ADR 0008).
 *
 * An imported trace is a trace of the intern, validated, whose stamp is the origin's: it keeps
 * the origin faculty, the original validator's name, date and SHA-256 in `imported_origin`, and
 * has no local validator (no account of this deployment validated it). The stamp check allows
 * exactly that, and only for a validated trace: an imported trace is never a draft.
 *
 * `portfolio_import` records each import (who, from where, which key signed it, the archive's
 * hash); `portfolio_import_trace` keys each imported trace by its origin, its id there and its
 * stamp's SHA-256, so importing the same archive twice adds nothing.
 */
export class PortfolioImports1764000033000 implements MigrationInterface {
  name = 'PortfolioImports1764000033000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trace ADD COLUMN imported_origin jsonb`);
    await q.query(`ALTER TABLE trace DROP CONSTRAINT trace_validation_stamp`);
    await q.query(`
      ALTER TABLE trace ADD CONSTRAINT trace_validation_stamp CHECK (
        (status = 'validated') = (validated_at IS NOT NULL AND validated_sha256 IS NOT NULL AND (validated_by IS NOT NULL OR imported_origin IS NOT NULL)))`);
    await q.query(`ALTER TABLE trace ADD CONSTRAINT trace_imported_validated CHECK (imported_origin IS NULL OR (status = 'validated' AND validated_by IS NULL))`);

    await q.query(`
      CREATE TABLE portfolio_import (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        intern_id              uuid NOT NULL REFERENCES app_user (id),
        imported_by            uuid NOT NULL REFERENCES app_user (id),
        origin_deployment      text NOT NULL CHECK (char_length(origin_deployment) <= 500),
        origin_faculty_code    text NOT NULL CHECK (char_length(origin_faculty_code) <= 100),
        origin_faculty_name    text NOT NULL CHECK (char_length(origin_faculty_name) BETWEEN 1 AND 300),
        -- The Ed25519 key that signed the manifest (SHA-256 of its SPKI), null for an unsigned archive.
        origin_key_fingerprint text CHECK (origin_key_fingerprint ~ '^[0-9a-f]{64}$'),
        archive_sha256         text NOT NULL CHECK (archive_sha256 ~ '^[0-9a-f]{64}$'),
        exported_at            timestamptz,
        imported_count         integer NOT NULL CHECK (imported_count >= 0),
        already_count          integer NOT NULL CHECK (already_count >= 0),
        created_at             timestamptz NOT NULL DEFAULT now()
      )`);
    // The intern's imports; the pinned key of an origin (the last key seen from it).
    await q.query(`CREATE INDEX portfolio_import_intern_idx ON portfolio_import (intern_id, created_at DESC)`);
    await q.query(`CREATE INDEX portfolio_import_origin_idx ON portfolio_import (faculty_id, origin_deployment, origin_faculty_code, created_at DESC)`);
    await q.query(`
      CREATE TABLE portfolio_import_trace (
        trace_id         uuid PRIMARY KEY REFERENCES trace (id) ON DELETE CASCADE,
        ${FACULTY},
        import_id        uuid NOT NULL REFERENCES portfolio_import (id),
        origin_key       text NOT NULL,
        origin_trace_id  text NOT NULL,
        sha256           text NOT NULL,
        CONSTRAINT portfolio_import_trace_origin_key UNIQUE (faculty_id, origin_key, origin_trace_id, sha256)
      )`);
    await q.query(`CREATE INDEX portfolio_import_trace_import_idx ON portfolio_import_trace (import_id)`);
    for (const table of TABLES) await enableFacultyRls(q, table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await disableFacultyRls(q, table);
    await q.query(`DROP TABLE portfolio_import_trace`);
    await q.query(`DROP TABLE portfolio_import`);
    // Imported traces have no local validator: they cannot outlive the column that explains them.
    await q.query(`DELETE FROM trace WHERE imported_origin IS NOT NULL`);
    await q.query(`ALTER TABLE trace DROP CONSTRAINT trace_imported_validated`);
    await q.query(`ALTER TABLE trace DROP CONSTRAINT trace_validation_stamp`);
    await q.query(`
      ALTER TABLE trace ADD CONSTRAINT trace_validation_stamp CHECK (
        (status = 'validated') = (validated_at IS NOT NULL AND validated_by IS NOT NULL AND validated_sha256 IS NOT NULL))`);
    await q.query(`ALTER TABLE trace DROP COLUMN imported_origin`);
  }
}
