import { MigrationInterface, QueryRunner } from 'typeorm';

export class CommentReads1764000006000 implements MigrationInterface {
  name = 'CommentReads1764000006000';

  async up(q: QueryRunner): Promise<void> {
    // When each reader last opened the conversation of a trace: what came after is unread.
    await q.query(`
      CREATE TABLE trace_read (
        user_id   uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        trace_id  uuid NOT NULL REFERENCES trace (id) ON DELETE CASCADE,
        seen_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, trace_id)
      )`);
    await q.query(`CREATE INDEX trace_comment_trace_created_idx ON trace_comment (trace_id, created_at) INCLUDE (author_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trace_comment_trace_created_idx`);
    await q.query(`DROP TABLE trace_read`);
  }
}
