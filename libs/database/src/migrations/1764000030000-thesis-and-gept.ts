import { MigrationInterface, QueryRunner } from 'typeorm';
import { disableFacultyRls, enableFacultyRls } from '../tenancy-migration';

const FACULTY = `faculty_id uuid NOT NULL DEFAULT carnet_current_faculty() REFERENCES faculty (id)`;

/** Every table below holds one faculty's data, sealed like the others (ADR 0007). */
const TABLES = ['thesis_step_template', 'thesis', 'thesis_step', 'thesis_document', 'thesis_director_link', 'thesis_comment', 'gept_group', 'gept_group_member', 'gept_meeting', 'gept_attendance'] as const;

/**
 * The thesis and the GEPT groups, beside the portfolio.
 *
 * A thesis is one intern's: a subject, a director (an MSU with an account, or another doctor
 * known by name and address only, who comments through one-time links kept as hashes like
 * invitations), the steps the faculty defines (its template, copied onto the thesis when it is
 * declared, so a later change of the template leaves running theses alone), each with its dates
 * and documents, and the director's comments.
 *
 * A GEPT group is led by an MSU for a year; its meetings have their cases and their attendance,
 * ticked by the lead; an intern's `gept` trace may name the meeting it writes up, which is what
 * lets the lead read it (and nothing else of the portfolio).
 */
export class ThesisAndGept1764000030000 implements MigrationInterface {
  name = 'ThesisAndGept1764000030000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE thesis_step_template (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        position integer NOT NULL CHECK (position >= 0),
        label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 200),
        CONSTRAINT thesis_step_template_position_key UNIQUE (faculty_id, position)
      )`);
    await q.query(`
      CREATE TABLE thesis (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        intern_id uuid NOT NULL REFERENCES app_user (id),
        subject text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 500),
        director_id uuid REFERENCES app_user (id),
        director_name text CHECK (char_length(director_name) <= 200),
        director_email text CHECK (char_length(director_email) <= 320),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT thesis_intern_key UNIQUE (intern_id),
        -- A director is either an account or a name with an address, never both.
        CONSTRAINT thesis_director_kind CHECK (director_id IS NULL OR (director_name IS NULL AND director_email IS NULL)),
        CONSTRAINT thesis_director_external CHECK ((director_name IS NULL) = (director_email IS NULL))
      )`);
    // The MSU's list of the theses they direct.
    await q.query(`CREATE INDEX thesis_director_idx ON thesis (director_id) WHERE director_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE thesis_step (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        thesis_id uuid NOT NULL REFERENCES thesis (id) ON DELETE CASCADE,
        position integer NOT NULL,
        label text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 200),
        planned_on date,
        done_on date,
        note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT thesis_step_position_key UNIQUE (thesis_id, position)
      )`);
    // The reminders' sweep: steps planned and not done.
    await q.query(`CREATE INDEX thesis_step_pending_idx ON thesis_step (planned_on) WHERE done_on IS NULL AND planned_on IS NOT NULL`);
    await q.query(`
      CREATE TABLE thesis_document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        step_id uuid NOT NULL REFERENCES thesis_step (id) ON DELETE CASCADE,
        filename text NOT NULL,
        mime_type text NOT NULL,
        size integer NOT NULL CHECK (size > 0),
        sha256 text NOT NULL,
        storage_key text NOT NULL UNIQUE,
        uploaded_by uuid NOT NULL REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX thesis_document_step_idx ON thesis_document (step_id)`);
    await q.query(`
      CREATE TABLE thesis_director_link (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        thesis_id uuid NOT NULL REFERENCES thesis (id) ON DELETE CASCADE,
        email text NOT NULL,
        token_hash bytea NOT NULL UNIQUE,
        created_by uuid NOT NULL REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    // At most one live link per thesis: issuing one revokes the one before, in the same transaction.
    await q.query(`CREATE UNIQUE INDEX thesis_director_link_live_key ON thesis_director_link (thesis_id) WHERE used_at IS NULL AND revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE thesis_comment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        thesis_id uuid NOT NULL REFERENCES thesis (id) ON DELETE CASCADE,
        author_id uuid REFERENCES app_user (id),
        author_name text NOT NULL,
        link_id uuid REFERENCES thesis_director_link (id),
        body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 10000),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT thesis_comment_author CHECK ((author_id IS NULL) <> (link_id IS NULL))
      )`);
    await q.query(`CREATE INDEX thesis_comment_thesis_idx ON thesis_comment (thesis_id, created_at)`);

    await q.query(`
      CREATE TABLE gept_group (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
        lead_id uuid NOT NULL REFERENCES app_user (id),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX gept_group_lead_idx ON gept_group (lead_id, year DESC)`);
    await q.query(`
      CREATE TABLE gept_group_member (
        ${FACULTY},
        group_id uuid NOT NULL REFERENCES gept_group (id) ON DELETE CASCADE,
        intern_id uuid NOT NULL REFERENCES app_user (id),
        year integer NOT NULL,
        PRIMARY KEY (group_id, intern_id),
        -- One group per intern and year.
        CONSTRAINT gept_group_member_year_key UNIQUE (intern_id, year)
      )`);
    await q.query(`
      CREATE TABLE gept_meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        group_id uuid NOT NULL REFERENCES gept_group (id) ON DELETE CASCADE,
        held_on date NOT NULL,
        cases text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT gept_meeting_cases_count CHECK (cardinality(cases) <= 20)
      )`);
    await q.query(`CREATE INDEX gept_meeting_group_idx ON gept_meeting (group_id, held_on)`);
    await q.query(`
      CREATE TABLE gept_attendance (
        ${FACULTY},
        meeting_id uuid NOT NULL REFERENCES gept_meeting (id) ON DELETE CASCADE,
        intern_id uuid NOT NULL REFERENCES app_user (id),
        present boolean NOT NULL,
        marked_by uuid NOT NULL REFERENCES app_user (id),
        marked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (meeting_id, intern_id)
      )`);

    // The meeting a `gept` trace writes up; the lead's list of a meeting's traces reads this index.
    await q.query(`ALTER TABLE trace ADD COLUMN gept_meeting_id uuid REFERENCES gept_meeting (id) ON DELETE SET NULL`);
    await q.query(`CREATE INDEX trace_gept_meeting_idx ON trace (gept_meeting_id) WHERE gept_meeting_id IS NOT NULL`);

    for (const table of TABLES) await enableFacultyRls(q, table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await disableFacultyRls(q, table);
    await q.query(`ALTER TABLE trace DROP COLUMN gept_meeting_id`);
    for (const table of [...TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
  }
}
