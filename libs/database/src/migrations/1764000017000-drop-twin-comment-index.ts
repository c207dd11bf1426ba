import { MigrationInterface, QueryRunner } from 'typeorm';

export class DropTwinCommentIndex1764000017000 implements MigrationInterface {
  name = 'DropTwinCommentIndex1764000017000';

  async up(q: QueryRunner): Promise<void> {
    // Its twin (trace_id, created_at) INCLUDE (author_id), from 1764000006000, serves every read
    // this one served, and the unread counts besides; this one cost every comment an index write.
    await q.query(`DROP INDEX trace_comment_trace_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX trace_comment_trace_idx ON trace_comment (trace_id, created_at)`);
  }
}
