import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin's organisation pages list tutorships by promotion and stages by semester or kind,
 * newest first: one index per filter, in the list's order.
 */
export class OrganisationListIndexes1764000023000 implements MigrationInterface {
  name = 'OrganisationListIndexes1764000023000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX tutorship_promotion_idx ON tutorship (promotion, started_at DESC)`);
    await q.query(`CREATE INDEX stage_semester_idx ON stage (semester, starts_on DESC)`);
    await q.query(`CREATE INDEX stage_kind_idx ON stage (kind, starts_on DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX stage_kind_idx`);
    await q.query(`DROP INDEX stage_semester_idx`);
    await q.query(`DROP INDEX tutorship_promotion_idx`);
  }
}
