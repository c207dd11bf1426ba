import { MigrationInterface, QueryRunner } from 'typeorm';

export class Exports1764000003000 implements MigrationInterface {
  name = 'Exports1764000003000';

  async up(q: QueryRunner): Promise<void> {
    // One row per requested export: the job's id, its status and its result. The queue carries
    // only the id; this row is the truth the API reads.
    await q.query(`
      CREATE TABLE portfolio_export (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        intern_id        uuid NOT NULL REFERENCES app_user (id),
        requested_by     uuid NOT NULL REFERENCES app_user (id),
        format           text NOT NULL CHECK (format IN ('pdf', 'zip')),
        scope            text NOT NULL CHECK (scope IN ('validated', 'all')),
        portfolio_stamp  text NOT NULL,
        status           text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed', 'expired')),
        progress         integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        attempts         integer NOT NULL DEFAULT 0,
        size             bigint,
        sha256           text,
        pages            integer,
        error            text,
        storage_key      text UNIQUE,
        created_at       timestamptz NOT NULL DEFAULT now(),
        started_at       timestamptz,
        completed_at     timestamptz
      )`);
    // The same request while one is pending returns that one: at most one pending export per
    // requester, intern, format, scope and state of the portfolio.
    await q.query(`
      CREATE UNIQUE INDEX portfolio_export_pending_key ON portfolio_export (requested_by, intern_id, format, scope, portfolio_stamp)
      WHERE status IN ('queued', 'running')`);
    await q.query(`CREATE INDEX portfolio_export_intern_idx ON portfolio_export (intern_id, created_at DESC)`);
    await q.query(`CREATE INDEX portfolio_export_completed_idx ON portfolio_export (completed_at) WHERE status = 'completed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE portfolio_export`);
  }
}
