import { MigrationInterface, QueryRunner } from 'typeorm';
import { disableFacultyRls, enableFacultyRls } from '../tenancy-migration';

/** The rows a transfer marks as having come from another faculty. */
const ORIGIN_TABLES = ['trace', 'assessment', 'stage', 'tutorship', 'jury_session'] as const;

/**
 * The immutable rows a transfer moves, and the columns it may change on them: the faculty, and
 * the intern's row of the old faculty replaced by theirs in the new one (and a jury decision's
 * session by the new faculty's record of it). Anything else still refuses any change.
 */
const GUARDED = [
  { fn: 'trace_revision_is_immutable', movable: ['faculty_id', 'created_by'], was: `RAISE EXCEPTION 'trace revisions are immutable';` },
  { fn: 'jury_decision_is_immutable', movable: ['faculty_id', 'intern_id', 'session_id'], was: `RAISE EXCEPTION 'jury decisions are immutable';` },
  { fn: 'stage_evaluation_immutable', movable: ['faculty_id'], was: `RAISE EXCEPTION 'submitted stage evaluations are immutable';` },
  {
    fn: 'tutor_meeting_immutable',
    movable: ['faculty_id', 'created_by'],
    was: `IF OLD.intern_confirmed_at IS NOT NULL AND OLD.tutor_confirmed_at IS NOT NULL THEN
          RAISE EXCEPTION 'co-signed tutor meetings are immutable';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;`,
  },
] as const;

/**
 * A portfolio that follows its intern from one faculty to another of the same deployment.
 *
 * The old faculty's admin releases the portfolio of their intern's row to a named faculty (a
 * pending transfer, which they may cancel); the new faculty's admin accepts it onto their own
 * row of the same person (same e-mail), or refuses it. A transfer row is both faculties' (each
 * admin lists it): its policy lets either faculty read it, only the releasing one create it.
 * The service reads and writes it as the system, with its own checks, since accepting moves
 * rows out of a faculty no request scope may see into another.
 *
 * What moves keeps its references to the old faculty's people (the validator of a trace, the
 * author of a comment, the tutor of an assessment): they are history, and grant nothing (a
 * person of the old faculty works in its scope, which sees nothing of the new). Their names as
 * they were are kept in `portfolio_transfer_person`, the new faculty's, so its readers see who
 * validated without reading anything else of the old faculty. `origin_faculty_id` marks what
 * came from elsewhere; a jury decision keeps its session as a closed copy in the new faculty.
 *
 * The trace tallies count a trace's move between faculties (their update triggers now watch
 * `faculty_id` too), and the immutable rows allow a move and nothing else (`GUARDED`).
 */
export class PortfolioTransfers1764000032000 implements MigrationInterface {
  name = 'PortfolioTransfers1764000032000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE portfolio_transfer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        from_faculty_id uuid NOT NULL REFERENCES faculty (id),
        to_faculty_id uuid NOT NULL REFERENCES faculty (id),
        from_intern_id uuid NOT NULL REFERENCES app_user (id),
        to_intern_id uuid REFERENCES app_user (id),
        intern_email text NOT NULL,
        intern_name text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'refused', 'cancelled')),
        released_by uuid NOT NULL REFERENCES app_user (id),
        released_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid REFERENCES app_user (id),
        decided_at timestamptz,
        reason text CHECK (char_length(reason) <= 1000),
        moved jsonb,
        CONSTRAINT portfolio_transfer_elsewhere CHECK (from_faculty_id <> to_faculty_id),
        CONSTRAINT portfolio_transfer_decided CHECK ((status = 'pending') = (decided_at IS NULL)),
        CONSTRAINT portfolio_transfer_accepted CHECK ((status = 'accepted') = (to_intern_id IS NOT NULL))
      )`);
    // One pending transfer per intern's row; each admin's lists, newest first.
    await q.query(`CREATE UNIQUE INDEX portfolio_transfer_one_pending ON portfolio_transfer (from_intern_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX portfolio_transfer_outgoing_idx ON portfolio_transfer (from_faculty_id, released_at DESC)`);
    await q.query(`CREATE INDEX portfolio_transfer_incoming_idx ON portfolio_transfer (to_faculty_id, released_at DESC)`);
    await q.query(`ALTER TABLE portfolio_transfer ENABLE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY portfolio_transfer_read ON portfolio_transfer FOR SELECT USING (carnet_faculty() IN (from_faculty_id, to_faculty_id))`);
    await q.query(`CREATE POLICY portfolio_transfer_release ON portfolio_transfer FOR INSERT WITH CHECK (from_faculty_id = carnet_faculty())`);
    await q.query(
      `CREATE POLICY portfolio_transfer_decide ON portfolio_transfer FOR UPDATE USING (carnet_faculty() IN (from_faculty_id, to_faculty_id)) WITH CHECK (carnet_faculty() IN (from_faculty_id, to_faculty_id))`,
    );
    await q.query(`GRANT SELECT, INSERT, UPDATE ON portfolio_transfer TO carnet_app`);

    await q.query(`
      CREATE TABLE portfolio_transfer_person (
        faculty_id uuid NOT NULL DEFAULT carnet_current_faculty() REFERENCES faculty (id),
        user_id uuid NOT NULL REFERENCES app_user (id),
        origin_faculty_id uuid NOT NULL REFERENCES faculty (id),
        display_name text NOT NULL,
        PRIMARY KEY (faculty_id, user_id)
      )`);
    await enableFacultyRls(q, 'portfolio_transfer_person');

    for (const table of ORIGIN_TABLES) await q.query(`ALTER TABLE ${table} ADD COLUMN origin_faculty_id uuid REFERENCES faculty (id)`);

    await q.query(`DROP TRIGGER trace_tally_update ON trace`);
    await q.query(`
      CREATE TRIGGER trace_tally_update AFTER UPDATE OF status, kind, faculty_id ON trace FOR EACH ROW
        WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.faculty_id IS DISTINCT FROM NEW.faculty_id)
        EXECUTE FUNCTION trace_tally_moved()`);
    await q.query(`DROP TRIGGER trace_tag_tally_update ON trace`);
    await q.query(`
      CREATE TRIGGER trace_tag_tally_update AFTER UPDATE OF status, kind, competences, familles, faculty_id ON trace FOR EACH ROW
        WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.competences IS DISTINCT FROM NEW.competences
              OR OLD.familles IS DISTINCT FROM NEW.familles OR OLD.faculty_id IS DISTINCT FROM NEW.faculty_id)
        EXECUTE FUNCTION trace_tag_tally_moved()`);

    // A move changes the faculty (which a request's role can never do: the policies' WITH CHECK)
    // and, at most, the columns named; the rest of the row is compared whole.
    await q.query(`
      CREATE FUNCTION carnet_is_faculty_move(old_row jsonb, new_row jsonb, movable text[]) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
        SELECT old_row->>'faculty_id' IS DISTINCT FROM new_row->>'faculty_id' AND (old_row - movable) = (new_row - movable)
      $$`);
    for (const guard of GUARDED) {
      await q.query(`
        CREATE OR REPLACE FUNCTION ${guard.fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND carnet_is_faculty_move(to_jsonb(OLD), to_jsonb(NEW), ARRAY[${guard.movable.map((c) => `'${c}'`).join(', ')}]) THEN
            RETURN NEW;
          END IF;
          ${guard.was}
        END $$`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const guard of GUARDED) {
      await q.query(`
        CREATE OR REPLACE FUNCTION ${guard.fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          ${guard.was}
        END $$`);
    }
    await q.query(`DROP FUNCTION carnet_is_faculty_move(jsonb, jsonb, text[])`);
    await q.query(`DROP TRIGGER trace_tag_tally_update ON trace`);
    await q.query(`
      CREATE TRIGGER trace_tag_tally_update AFTER UPDATE OF status, kind, competences, familles ON trace FOR EACH ROW
        WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.competences IS DISTINCT FROM NEW.competences OR OLD.familles IS DISTINCT FROM NEW.familles)
        EXECUTE FUNCTION trace_tag_tally_moved()`);
    await q.query(`DROP TRIGGER trace_tally_update ON trace`);
    await q.query(`
      CREATE TRIGGER trace_tally_update AFTER UPDATE OF status, kind ON trace FOR EACH ROW
        WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.kind IS DISTINCT FROM NEW.kind)
        EXECUTE FUNCTION trace_tally_moved()`);
    for (const table of [...ORIGIN_TABLES].reverse()) await q.query(`ALTER TABLE ${table} DROP COLUMN origin_faculty_id`);
    await disableFacultyRls(q, 'portfolio_transfer_person');
    await q.query(`DROP TABLE portfolio_transfer_person`);
    await q.query(`DROP TABLE portfolio_transfer`);
  }
}
