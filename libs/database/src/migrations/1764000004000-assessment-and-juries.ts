import { MigrationInterface, QueryRunner } from 'typeorm';

// The defaults as of this migration (libs/domain's DEFAULT_RULES may change later; history must not).
const DEFAULT_RULES = {
  socle: { kinds: { rsca: 1 }, validatedTraces: 2, per: 'semester', minFamilles: 4, minCompetences: 3 },
  approfondissement: { kinds: { rsca: 2 }, validatedTraces: 2, per: 'semester', minFamilles: 8, minCompetences: 6 },
  consolidation: { kinds: { rsca: 1 }, validatedTraces: 2, per: 'semester', minFamilles: 11, minCompetences: 6 },
};

export class AssessmentAndJuries1764000004000 implements MigrationInterface {
  name = 'AssessmentAndJuries1764000004000';

  async up(q: QueryRunner): Promise<void> {
    // Requirements per phase, versioned: an edit adds a version; a decision keeps the one it used.
    await q.query(`
      CREATE TABLE phase_requirement (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        phase       text NOT NULL CHECK (phase IN ('socle', 'approfondissement', 'consolidation')),
        version     integer NOT NULL CHECK (version >= 1),
        rules       jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        created_by  uuid REFERENCES app_user (id),
        CONSTRAINT phase_requirement_version_key UNIQUE (phase, version)
      )`);
    for (const [phase, rules] of Object.entries(DEFAULT_RULES)) {
      await q.query(`INSERT INTO phase_requirement (phase, version, rules) VALUES ($1, 1, $2)`, [phase, JSON.stringify(rules)]);
    }

    await q.query(`
      CREATE TABLE assessment (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        intern_id       uuid NOT NULL REFERENCES app_user (id),
        tutor_id        uuid NOT NULL REFERENCES app_user (id),
        phase           text NOT NULL CHECK (phase IN ('socle', 'approfondissement', 'consolidation')),
        levels          jsonb NOT NULL,
        comment         text NOT NULL DEFAULT '',
        recommendation  text NOT NULL CHECK (recommendation IN ('favorable', 'reserve', 'defavorable')),
        version         integer NOT NULL DEFAULT 1,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT assessment_one_per_phase_and_tutor UNIQUE (intern_id, tutor_id, phase)
      )`);
    await q.query(`
      CREATE TABLE assessment_revision (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assessment_id   uuid NOT NULL REFERENCES assessment (id) ON DELETE CASCADE,
        version         integer NOT NULL,
        levels          jsonb NOT NULL,
        comment         text NOT NULL,
        recommendation  text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT assessment_revision_key UNIQUE (assessment_id, version)
      )`);

    await q.query(`
      CREATE TABLE jury_session (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        phase       text NOT NULL CHECK (phase IN ('socle', 'approfondissement', 'consolidation')),
        opens_at    timestamptz NOT NULL,
        closes_at   timestamptz NOT NULL,
        created_by  uuid REFERENCES app_user (id),
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT jury_session_window CHECK (closes_at > opens_at)
      )`);
    await q.query(`
      CREATE TABLE jury_member (
        session_id  uuid NOT NULL REFERENCES jury_session (id) ON DELETE CASCADE,
        user_id     uuid NOT NULL REFERENCES app_user (id),
        PRIMARY KEY (session_id, user_id)
      )`);
    await q.query(`CREATE INDEX jury_member_user_idx ON jury_member (user_id)`);
    await q.query(`
      CREATE TABLE jury_intern (
        session_id  uuid NOT NULL REFERENCES jury_session (id) ON DELETE CASCADE,
        intern_id   uuid NOT NULL REFERENCES app_user (id),
        PRIMARY KEY (session_id, intern_id)
      )`);
    await q.query(`CREATE INDEX jury_intern_intern_idx ON jury_intern (intern_id)`);
    await q.query(`
      CREATE TABLE jury_decision (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id            uuid NOT NULL REFERENCES jury_session (id),
        intern_id             uuid NOT NULL REFERENCES app_user (id),
        member_id             uuid NOT NULL REFERENCES app_user (id),
        decision              text NOT NULL CHECK (decision IN ('validated', 'not_validated', 'deferred')),
        comment               text NOT NULL DEFAULT '',
        requirement_version   integer NOT NULL,
        progress              jsonb NOT NULL,
        created_at            timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT jury_decision_one_per_intern UNIQUE (session_id, intern_id)
      )`);
    await q.query(`
      CREATE FUNCTION jury_decision_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'jury decisions are immutable';
      END $$`);
    await q.query(`CREATE TRIGGER jury_decision_immutable BEFORE UPDATE OR DELETE ON jury_decision FOR EACH ROW EXECUTE FUNCTION jury_decision_is_immutable()`);

    // Reminders: each sent once per user, kind and period, whatever the number of workers.
    await q.query(`ALTER TABLE app_user ADD COLUMN reminders_enabled boolean NOT NULL DEFAULT true`);
    await q.query(`
      CREATE TABLE reminder_log (
        user_id     uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        kind        text NOT NULL,
        period      text NOT NULL,
        sent_at     timestamptz NOT NULL DEFAULT now(),
        details     jsonb NOT NULL DEFAULT '{}'::jsonb,
        PRIMARY KEY (user_id, kind, period)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reminder_log`);
    await q.query(`ALTER TABLE app_user DROP COLUMN reminders_enabled`);
    await q.query(`DROP TABLE jury_decision`);
    await q.query(`DROP FUNCTION jury_decision_is_immutable()`);
    await q.query(`DROP TABLE jury_intern`);
    await q.query(`DROP TABLE jury_member`);
    await q.query(`DROP TABLE jury_session`);
    await q.query(`DROP TABLE assessment_revision`);
    await q.query(`DROP TABLE assessment`);
    await q.query(`DROP TABLE phase_requirement`);
  }
}
