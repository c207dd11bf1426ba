import { MigrationInterface, QueryRunner } from 'typeorm';
import { disableFacultyRls, enableFacultyRls } from '../tenancy-migration';

const FACULTY = `faculty_id uuid NOT NULL DEFAULT carnet_current_faculty() REFERENCES faculty (id)`;

/** Every table below holds one faculty's data, sealed like the others (ADR 0007). */
const TABLES = ['teaching_session', 'teaching_registration', 'teaching_attendance'] as const;

/**
 * Teaching sessions of the maquette (UPM seminars, UPP teaching, the Assurance Maladie week…),
 * who registered, and who attended.
 *
 * A session keeps a random key of its own: the codes shown in the room are signed with it (and
 * with the server's key when one is set), so a code of one session never opens another, and
 * changing a session's key voids every code shown so far. Registrations are counted under a lock
 * of the session's row, so the last seat goes to one intern only. An attendance row is present,
 * absent or excused (with its reason and, optionally, a document in storage).
 */
export class Teaching1764000029000 implements MigrationInterface {
  name = 'Teaching1764000029000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE teaching_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ${FACULTY},
        title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('seminaire_upm', 'enseignement_upp', 'semaine_assurance_maladie', 'atelier', 'gept', 'autre')),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        place text NOT NULL CHECK (char_length(place) BETWEEN 1 AND 300),
        promotions integer[] NOT NULL DEFAULT '{}',
        upp_ids uuid[] NOT NULL DEFAULT '{}',
        capacity integer CHECK (capacity > 0),
        mandatory boolean NOT NULL,
        phase text CHECK (phase IN ('socle', 'approfondissement', 'consolidation')),
        lead_id uuid NOT NULL REFERENCES app_user (id),
        attendance_key bytea NOT NULL CHECK (octet_length(attendance_key) = 32),
        created_by uuid NOT NULL REFERENCES app_user (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT teaching_session_times CHECK (ends_at > starts_at),
        CONSTRAINT teaching_session_mandatory_phase CHECK (NOT mandatory OR phase IS NOT NULL)
      )`);
    // The lists by date, the lead's sessions, and progress's mandatory sessions of a phase.
    await q.query(`CREATE INDEX teaching_session_starts_idx ON teaching_session (starts_at)`);
    await q.query(`CREATE INDEX teaching_session_lead_idx ON teaching_session (lead_id, starts_at)`);
    await q.query(`CREATE INDEX teaching_session_mandatory_idx ON teaching_session (phase, starts_at) WHERE mandatory`);
    await q.query(`
      CREATE TABLE teaching_registration (
        ${FACULTY},
        session_id uuid NOT NULL REFERENCES teaching_session (id) ON DELETE CASCADE,
        intern_id uuid NOT NULL REFERENCES app_user (id),
        registered_by uuid NOT NULL REFERENCES app_user (id),
        registered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (session_id, intern_id)
      )`);
    await q.query(`CREATE INDEX teaching_registration_intern_idx ON teaching_registration (intern_id)`);
    await q.query(`
      CREATE TABLE teaching_attendance (
        ${FACULTY},
        session_id uuid NOT NULL REFERENCES teaching_session (id) ON DELETE CASCADE,
        intern_id uuid NOT NULL REFERENCES app_user (id),
        status text NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
        via text NOT NULL CHECK (via IN ('list', 'code', 'intern')),
        marked_by uuid NOT NULL REFERENCES app_user (id),
        marked_at timestamptz NOT NULL DEFAULT now(),
        reason text CHECK (char_length(reason) <= 1000),
        document_filename text,
        document_mime_type text,
        document_size integer CHECK (document_size > 0),
        document_sha256 text,
        document_storage_key text UNIQUE,
        PRIMARY KEY (session_id, intern_id),
        CONSTRAINT teaching_attendance_excused_reason CHECK ((status = 'excused') = (reason IS NOT NULL)),
        CONSTRAINT teaching_attendance_document CHECK (document_storage_key IS NULL OR status = 'excused')
      )`);
    // An intern's attendance across sessions: progress and their export.
    await q.query(`CREATE INDEX teaching_attendance_intern_idx ON teaching_attendance (intern_id)`);

    for (const table of TABLES) await enableFacultyRls(q, table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await disableFacultyRls(q, table);
    for (const table of [...TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
  }
}
