import { MigrationInterface, QueryRunner } from 'typeorm';
import { disableFacultyRls, enableFacultyRls } from '../tenancy-migration';

const FACULTY = `faculty_id uuid NOT NULL DEFAULT carnet_current_faculty() REFERENCES faculty (id)`;

/** Every table below holds one faculty's data, sealed like the others (ADR 0007). */
const TABLES = ['stage_evaluation_link', 'stage_evaluation', 'stage_feedback'] as const;

/**
 * End-of-stage evaluations, both ways.
 *
 * The supervisors evaluate the intern on the faculty's form: a level per competence, a comment,
 * validation proposed or not. An MSU with an account does it signed in; a hospital senior without
 * one through a one-time link mailed by the DUMG, kept as a hash like invitations, bound to one
 * stage (so one intern) and one evaluator (by address). One live link per stage and evaluator:
 * reissuing revokes the one before in the same transaction. One evaluation per stage and
 * evaluator, immutable once submitted (the trigger holds it against any writer).
 *
 * The intern evaluates the stage: one answer per stage, never shown to its supervisors; the DUMG
 * reads only aggregates per place, from three answers up. The stage is kept on the row so an
 * intern answers once; nothing the API shows joins it back to the intern.
 */
export class StageEvaluations1764000028000 implements MigrationInterface {
  name = 'StageEvaluations1764000028000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stage_evaluation_link (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        stage_id uuid NOT NULL REFERENCES stage (id) ON DELETE CASCADE,
        evaluator_name text NOT NULL CHECK (char_length(evaluator_name) BETWEEN 1 AND 200),
        evaluator_email text NOT NULL CHECK (char_length(evaluator_email) BETWEEN 3 AND 320 AND evaluator_email = lower(evaluator_email)),
        token_hash bytea NOT NULL UNIQUE,
        created_by uuid REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        CONSTRAINT stage_evaluation_link_expiry CHECK (expires_at > created_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX stage_evaluation_link_live_key ON stage_evaluation_link (stage_id, evaluator_email) WHERE used_at IS NULL AND revoked_at IS NULL`);
    // The admin's list of a stage's links, newest first.
    await q.query(`CREATE INDEX stage_evaluation_link_stage_idx ON stage_evaluation_link (stage_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE stage_evaluation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        stage_id uuid NOT NULL REFERENCES stage (id) ON DELETE CASCADE,
        author_id uuid REFERENCES app_user (id),
        link_id uuid UNIQUE REFERENCES stage_evaluation_link (id),
        evaluator_name text NOT NULL CHECK (char_length(evaluator_name) BETWEEN 1 AND 200),
        evaluator_email text CHECK (evaluator_email = lower(evaluator_email)),
        levels jsonb NOT NULL CHECK (jsonb_typeof(levels) = 'object'),
        comment text NOT NULL DEFAULT '' CHECK (char_length(comment) <= 5000),
        validation_proposed boolean NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        -- Signed in (an account) or through a link (an address), never both.
        CONSTRAINT stage_evaluation_evaluator CHECK ((author_id IS NULL) <> (link_id IS NULL) AND (link_id IS NULL) = (evaluator_email IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX stage_evaluation_author_key ON stage_evaluation (stage_id, author_id) WHERE author_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX stage_evaluation_email_key ON stage_evaluation (stage_id, evaluator_email) WHERE evaluator_email IS NOT NULL`);
    await q.query(`
      CREATE FUNCTION stage_evaluation_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'submitted stage evaluations are immutable';
      END $$`);
    await q.query(`CREATE TRIGGER stage_evaluation_submitted BEFORE UPDATE ON stage_evaluation FOR EACH ROW EXECUTE FUNCTION stage_evaluation_immutable()`);

    await q.query(`
      CREATE TABLE stage_feedback (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        stage_id uuid NOT NULL UNIQUE REFERENCES stage (id) ON DELETE CASCADE,
        supervision smallint NOT NULL CHECK (supervision BETWEEN 1 AND 5),
        teaching smallint NOT NULL CHECK (teaching BETWEEN 1 AND 5),
        workload smallint NOT NULL CHECK (workload BETWEEN 1 AND 5),
        housing smallint NOT NULL CHECK (housing BETWEEN 1 AND 5),
        travel smallint NOT NULL CHECK (travel BETWEEN 1 AND 5),
        overall smallint NOT NULL CHECK (overall BETWEEN 1 AND 5),
        housing_provided boolean NOT NULL,
        vehicle_required boolean NOT NULL,
        comment text NOT NULL DEFAULT '' CHECK (char_length(comment) <= 3000),
        submitted_at timestamptz NOT NULL DEFAULT now()
      )`);

    for (const table of TABLES) await enableFacultyRls(q, table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await disableFacultyRls(q, table);
    for (const table of [...TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
    await q.query(`DROP FUNCTION stage_evaluation_immutable()`);
  }
}
