import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whatever changes who a token stands for — a session revoked, cut short or deleted; its user
 * deactivated, given other roles or deleted; either table truncated — tells every API process
 * at commit, on `carnet_sessions`: `s:<session id>`, `u:<user id>`, or `*` for all. Written as
 * triggers, so no path is missed: the API's own, another replica's, the worker's, an operator's
 * SQL. Payloads of one transaction that are equal are sent once (PostgreSQL folds them). A
 * session already revoked or expired is remembered by no process: its later changes (the
 * retention job deleting old sessions) notify nothing.
 */
export class SessionNotify1764000015000 implements MigrationInterface {
  name = 'SessionNotify1764000015000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION carnet_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('carnet_sessions', '*');
        ELSE
          PERFORM pg_notify('carnet_sessions', TG_ARGV[0] || ':' || OLD.id);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER session_changed AFTER UPDATE OF revoked_at, expires_at, user_id, token_hash, csrf_token OR DELETE ON session
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND OLD.expires_at > now()) EXECUTE FUNCTION carnet_session_changed('s')`);
    await q.query(`CREATE TRIGGER app_user_changed AFTER UPDATE OF active, roles OR DELETE ON app_user
      FOR EACH ROW EXECUTE FUNCTION carnet_session_changed('u')`);
    await q.query(`CREATE TRIGGER session_truncated AFTER TRUNCATE ON session FOR EACH STATEMENT EXECUTE FUNCTION carnet_session_changed()`);
    await q.query(`CREATE TRIGGER app_user_truncated AFTER TRUNCATE ON app_user FOR EACH STATEMENT EXECUTE FUNCTION carnet_session_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER app_user_truncated ON app_user`);
    await q.query(`DROP TRIGGER session_truncated ON session`);
    await q.query(`DROP TRIGGER app_user_changed ON app_user`);
    await q.query(`DROP TRIGGER session_changed ON session`);
    await q.query(`DROP FUNCTION carnet_session_changed()`);
  }
}
