import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tutor meetings: the tutorship as a series of dated meetings, each co-signed by the intern and
 * the tutor (several faculties ask for three a year). A meeting belongs to one tutorship, so a
 * former tutor keeps reading the meetings they held and nobody else's. Each party's confirmation
 * is a timestamp; once both are set the meeting is immutable (the API refuses edits, and the
 * trigger holds it for any other writer too).
 */
export class TutorMeetings1764000026000 implements MigrationInterface {
  name = 'TutorMeetings1764000026000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tutor_meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tutorship_id uuid NOT NULL REFERENCES tutorship(id),
        held_on date NOT NULL,
        discussed text NOT NULL,
        next_objectives text NOT NULL,
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        intern_confirmed_at timestamptz,
        tutor_confirmed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tutor_meeting_discussed_length CHECK (char_length(discussed) <= 10000),
        CONSTRAINT tutor_meeting_next_objectives_length CHECK (char_length(next_objectives) <= 10000)
      )`);
    // The list of a tutorship's meetings, newest first, and the progress count per tutorship.
    await q.query(`CREATE INDEX tutor_meeting_tutorship_idx ON tutor_meeting (tutorship_id, held_on DESC)`);
    await q.query(`
      CREATE FUNCTION tutor_meeting_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.intern_confirmed_at IS NOT NULL AND OLD.tutor_confirmed_at IS NOT NULL THEN
          RAISE EXCEPTION 'co-signed tutor meetings are immutable';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q.query(`CREATE TRIGGER tutor_meeting_cosigned BEFORE UPDATE OR DELETE ON tutor_meeting FOR EACH ROW EXECUTE FUNCTION tutor_meeting_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tutor_meeting`);
    await q.query(`DROP FUNCTION tutor_meeting_immutable()`);
  }
}
