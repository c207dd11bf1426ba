import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An intern's anonymous evaluation of a stage is its faculty's knowledge of its own place, not
 * part of the portfolio: when the portfolio moves to another faculty (migration 32) the answer
 * stays with the old faculty, which keeps the place it was given for (`place`, copied at the move,
 * since the stage row itself goes). Had it moved, the old faculty's per-place summary would lose
 * exactly that answer, and comparing the summary before and after would name its author.
 */
export class StageFeedbackStays1764000039000 implements MigrationInterface {
  name = 'StageFeedbackStays1764000039000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stage_feedback ADD COLUMN place text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stage_feedback DROP COLUMN place`);
  }
}
