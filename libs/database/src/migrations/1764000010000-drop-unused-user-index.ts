import { MigrationInterface, QueryRunner } from 'typeorm';

export class DropUnusedUserIndex1764000010000 implements MigrationInterface {
  name = 'DropUnusedUserIndex1764000010000';

  async up(q: QueryRunner): Promise<void> {
    // The user search reads the trigram index on the folded names (1764000008000); this first
    // one, on lower(), has served no query since and cost every user import an index update.
    await q.query(`DROP INDEX app_user_search_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX app_user_search_idx ON app_user USING gin ((lower(last_name || ' ' || first_name || ' ' || email)) gin_trgm_ops)`);
  }
}
