import { MigrationInterface, QueryRunner } from 'typeorm';

export class Traces1764000002000 implements MigrationInterface {
  name = 'Traces1764000002000';

  async up(q: QueryRunner): Promise<void> {
    // French search that ignores accents: "diabetique" finds "diabétique", "vaccinés" finds "vacciné".
    await q.query(`CREATE TEXT SEARCH CONFIGURATION public.french_unaccent (COPY = pg_catalog.french)`);
    await q.query(`
      ALTER TEXT SEARCH CONFIGURATION public.french_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.french_stem`);

    await q.query(`
      CREATE TABLE trace (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        intern_id        uuid NOT NULL REFERENCES app_user (id),
        kind             text NOT NULL CHECK (kind IN ('rsca', 'trace', 'gept', 'stage_review', 'other')),
        title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
        content          jsonb NOT NULL,
        content_text     text NOT NULL DEFAULT '',
        competences      text[] NOT NULL DEFAULT '{}',
        familles         text[] NOT NULL DEFAULT '{}',
        stage_id         uuid,
        status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'changes_requested', 'validated')),
        version          integer NOT NULL DEFAULT 1,
        ever_submitted   boolean NOT NULL DEFAULT false,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        submitted_at     timestamptz,
        validated_at     timestamptz,
        validated_by     uuid REFERENCES app_user (id),
        validated_sha256 text,
        search           tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('public.french_unaccent', title), 'A') ||
          setweight(to_tsvector('public.french_unaccent', content_text), 'B')
        ) STORED,
        CONSTRAINT trace_validation_stamp CHECK ((status = 'validated') = (validated_at IS NOT NULL AND validated_by IS NOT NULL AND validated_sha256 IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX trace_intern_idx ON trace (intern_id, updated_at DESC)`);
    await q.query(`CREATE INDEX trace_intern_status_idx ON trace (intern_id, status, submitted_at)`);
    await q.query(`CREATE INDEX trace_review_queue_idx ON trace (status, submitted_at) WHERE status = 'submitted'`);
    await q.query(`CREATE INDEX trace_search_idx ON trace USING gin (search)`);
    await q.query(`CREATE INDEX trace_competences_idx ON trace USING gin (competences)`);
    await q.query(`CREATE INDEX trace_familles_idx ON trace USING gin (familles)`);

    // One immutable snapshot per submission: what the tutor read, exactly.
    await q.query(`
      CREATE TABLE trace_revision (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        trace_id     uuid NOT NULL REFERENCES trace (id) ON DELETE CASCADE,
        number       integer NOT NULL CHECK (number >= 1),
        kind         text NOT NULL,
        title        text NOT NULL,
        content      jsonb NOT NULL,
        competences  text[] NOT NULL,
        familles     text[] NOT NULL,
        sha256       text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        created_by   uuid NOT NULL REFERENCES app_user (id),
        CONSTRAINT trace_revision_number_key UNIQUE (trace_id, number)
      )`);
    await q.query(`
      CREATE FUNCTION trace_revision_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'trace revisions are immutable';
      END $$`);
    await q.query(`CREATE TRIGGER trace_revision_immutable BEFORE UPDATE ON trace_revision FOR EACH ROW EXECUTE FUNCTION trace_revision_is_immutable()`);

    // Tutors who reviewed a trace keep reading it after their tutorship ends.
    await q.query(`
      CREATE TABLE trace_reviewer (
        trace_id    uuid NOT NULL REFERENCES trace (id) ON DELETE CASCADE,
        tutor_id    uuid NOT NULL REFERENCES app_user (id),
        first_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (trace_id, tutor_id)
      )`);
    await q.query(`CREATE INDEX trace_reviewer_tutor_idx ON trace_reviewer (tutor_id)`);

    await q.query(`
      CREATE TABLE trace_comment (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        trace_id       uuid NOT NULL REFERENCES trace (id) ON DELETE CASCADE,
        author_id      uuid NOT NULL REFERENCES app_user (id),
        parent_id      uuid REFERENCES trace_comment (id),
        body           text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
        anchor_from    integer,
        anchor_to      integer,
        anchor_quote   text,
        revision       integer,
        created_at     timestamptz NOT NULL DEFAULT now(),
        resolved_at    timestamptz,
        resolved_by    uuid REFERENCES app_user (id),
        CONSTRAINT trace_comment_anchor CHECK (
          (anchor_from IS NULL AND anchor_to IS NULL AND anchor_quote IS NULL) OR
          (anchor_from >= 0 AND anchor_to >= anchor_from AND anchor_quote IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX trace_comment_trace_idx ON trace_comment (trace_id, created_at)`);

    await q.query(`
      CREATE TABLE attachment (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        trace_id     uuid NOT NULL REFERENCES trace (id) ON DELETE CASCADE,
        filename     text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
        mime_type    text NOT NULL CHECK (mime_type IN ('application/pdf', 'image/png', 'image/jpeg')),
        size         integer NOT NULL CHECK (size > 0 AND size <= 10485760),
        sha256       text NOT NULL,
        storage_key  text NOT NULL UNIQUE,
        uploaded_by  uuid NOT NULL REFERENCES app_user (id),
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attachment_trace_idx ON attachment (trace_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachment`);
    await q.query(`DROP TABLE trace_comment`);
    await q.query(`DROP TABLE trace_reviewer`);
    await q.query(`DROP TABLE trace_revision`);
    await q.query(`DROP FUNCTION trace_revision_is_immutable()`);
    await q.query(`DROP TABLE trace`);
    await q.query(`DROP TEXT SEARCH CONFIGURATION public.french_unaccent`);
  }
}
