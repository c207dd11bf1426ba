import { MigrationInterface, QueryRunner } from 'typeorm';

export class Stages1764000005000 implements MigrationInterface {
  name = 'Stages1764000005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stage (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        intern_id   uuid NOT NULL REFERENCES app_user (id),
        kind        text NOT NULL CHECK (kind IN ('praticien_n1', 'urgences', 'medecine_adulte', 'gyneco_pediatrie', 'libre', 'saspas')),
        semester    integer NOT NULL CHECK (semester BETWEEN 1 AND 8),
        place       text NOT NULL DEFAULT '',
        starts_on   date NOT NULL,
        ends_on     date NOT NULL,
        psy_months  integer NOT NULL DEFAULT 0 CHECK (psy_months BETWEEN 0 AND 6),
        created_by  uuid REFERENCES app_user (id),
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT stage_dates CHECK (ends_on > starts_on)
      )`);
    await q.query(`CREATE INDEX stage_intern_idx ON stage (intern_id, starts_on)`);

    // Dated supervision: a change during the stage closes the current periods and opens new ones.
    await q.query(`
      CREATE TABLE stage_supervisor (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stage_id             uuid NOT NULL REFERENCES stage (id) ON DELETE CASCADE,
        tutor_id             uuid NOT NULL REFERENCES app_user (id),
        referent             boolean NOT NULL,
        half_days_per_week   integer NOT NULL CHECK (half_days_per_week BETWEEN 1 AND 10),
        from_date            date NOT NULL,
        to_date              date,
        CONSTRAINT stage_supervisor_period CHECK (to_date IS NULL OR to_date >= from_date)
      )`);
    await q.query(`CREATE INDEX stage_supervisor_stage_idx ON stage_supervisor (stage_id, from_date)`);
    await q.query(`CREATE INDEX stage_supervisor_tutor_idx ON stage_supervisor (tutor_id)`);

    await q.query(`
      CREATE TABLE stage_phase (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stage_id     uuid NOT NULL REFERENCES stage (id) ON DELETE CASCADE,
        phase        integer NOT NULL CHECK (phase BETWEEN 1 AND 5),
        note         text NOT NULL DEFAULT '',
        recorded_by  uuid NOT NULL REFERENCES app_user (id),
        recorded_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX stage_phase_stage_idx ON stage_phase (stage_id, recorded_at)`);

    await q.query(`
      CREATE TABLE stage_difficulty (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        stage_id     uuid NOT NULL REFERENCES stage (id) ON DELETE CASCADE,
        reporter_id  uuid NOT NULL REFERENCES app_user (id),
        body         text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX stage_difficulty_stage_idx ON stage_difficulty (stage_id, created_at)`);

    await q.query(`ALTER TABLE trace ADD CONSTRAINT trace_stage_fk FOREIGN KEY (stage_id) REFERENCES stage (id)`);
    await q.query(`CREATE INDEX trace_stage_idx ON trace (stage_id) WHERE stage_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trace_stage_idx`);
    await q.query(`ALTER TABLE trace DROP CONSTRAINT trace_stage_fk`);
    await q.query(`DROP TABLE stage_difficulty`);
    await q.query(`DROP TABLE stage_phase`);
    await q.query(`DROP TABLE stage_supervisor`);
    await q.query(`DROP TABLE stage`);
  }
}
