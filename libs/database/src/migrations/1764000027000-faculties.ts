import { MigrationInterface, QueryRunner } from 'typeorm';
import { disableFacultyRls, enableFacultyRls } from '../tenancy-migration';
import { tallyFunctions } from './1764000013000-trace-tag-tally';
import { withPairs } from './1764000014000-trace-tag-pair-tally';

/**
 * Faculties sealed from each other (ADR 0007). Every table that holds a faculty's data gains
 * `faculty_id`, filled with the one faculty today's deployments have, and row-level security
 * keyed by the transaction's `carnet.faculty` setting for the `carnet_app` role the API's
 * requests run as. A user row is one person's membership of one faculty (roles, UPP and
 * promotion there); the same e-mail in two faculties is the same person, who switches between
 * them. The national operator's row belongs to no faculty.
 */
export const FACULTY_TABLES = [
  'upp', 'app_user', 'tutorship', 'trace', 'trace_revision', 'trace_comment', 'trace_read', 'trace_reviewer',
  'attachment', 'attachment_scan', 'portfolio_export', 'phase_requirement', 'assessment', 'assessment_revision',
  'jury_session', 'jury_member', 'jury_intern', 'jury_decision', 'reminder_log', 'stage', 'stage_phase',
  'stage_supervisor', 'stage_difficulty', 'tutor_meeting', 'audit_log', 'audit_day', 'trace_tally', 'trace_tag_tally',
] as const;

/** Tables that already had `faculty_id` (university sign-in, keyed by faculty from the start). */
const KEYED_ALREADY = ['university_sign_in', 'user_identity'] as const;

/** Per row of `rows`, its signed tag rows, with its faculty (migrations 13 and 14's, by faculty). */
const tagRows = (rows: string, sign: number) => `
      SELECT ${sign} AS d, faculty_id, 'competence' AS axis, unnest(competences) AS tag, status, kind FROM ${rows}
      UNION ALL SELECT ${sign}, faculty_id, 'famille', unnest(familles), status, kind FROM ${rows}
      UNION ALL SELECT ${sign}, faculty_id, 'pair', c.tag || '/' || f.tag, status, kind FROM ${rows}, unnest(competences) c(tag), unnest(familles) f(tag)`;

export class Faculties1764000027000 implements MigrationInterface {
  name = 'Faculties1764000027000';

  async up(q: QueryRunner): Promise<void> {
    // The role requests run as: no login, no BYPASSRLS. Roles are the server's, shared by its
    // databases, so another database's migration may have made it first, or be making it now.
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'carnet_app') THEN
          BEGIN
            CREATE ROLE carnet_app NOLOGIN NOBYPASSRLS;
          EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
              RAISE EXCEPTION 'Carnet needs the role carnet_app: as a superuser, run CREATE ROLE carnet_app NOLOGIN; GRANT carnet_app TO %;', current_user;
          END;
        END IF;
        IF NOT pg_has_role(current_user, 'carnet_app', 'MEMBER') THEN
          EXECUTE format('GRANT carnet_app TO %I', current_user);
        END IF;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA ${await schemaOf(q)} TO carnet_app`);

    // The request's faculty, or none; and the faculty a new row belongs to: the request's, or in
    // the system context of a one-faculty deployment its only faculty (NULL, refused, past one).
    await q.query(`CREATE FUNCTION carnet_faculty() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('carnet.faculty', true), '')::uuid $$`);
    await q.query(`
      CREATE FUNCTION carnet_current_faculty() RETURNS uuid LANGUAGE plpgsql STABLE AS $$
      DECLARE
        chosen uuid := carnet_faculty();
      BEGIN
        IF chosen IS NOT NULL OR current_user = 'carnet_app' THEN RETURN chosen; END IF;
        SELECT CASE WHEN count(*) = 1 THEN min(id::text)::uuid END INTO chosen FROM faculty;
        RETURN chosen;
      END $$`);

    await q.query(`ALTER TABLE faculty ADD COLUMN active boolean NOT NULL DEFAULT true`);
    const [{ id: only }] = (await q.query(`SELECT id FROM faculty ORDER BY created_at LIMIT 1`)) as { id: string }[];
    for (const table of FACULTY_TABLES) {
      // A constant default fills existing rows without rewriting the table; new rows take the request's.
      await q.query(`ALTER TABLE ${table} ADD COLUMN faculty_id uuid DEFAULT '${only}' REFERENCES faculty (id)`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN faculty_id SET DEFAULT carnet_current_faculty()`);
      if (table !== 'audit_log' && table !== 'app_user') await q.query(`ALTER TABLE ${table} ALTER COLUMN faculty_id SET NOT NULL`);
    }

    // The national operator: a row in no faculty, and only that row has no faculty.
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_roles_check`);
    await q.query(`
      ALTER TABLE app_user ADD CONSTRAINT app_user_roles_check CHECK (
        cardinality(roles) >= 1 AND roles <@ ARRAY['intern','tutor','jury','admin','operator']::text[]
        AND (faculty_id IS NULL) = (roles = ARRAY['operator']::text[]))`);
    // One membership per person and faculty; the operator's e-mail is theirs alone.
    await q.query(`DROP INDEX app_user_email_key`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (faculty_id, email) NULLS NOT DISTINCT`);
    await q.query(`CREATE INDEX app_user_email_idx ON app_user (email)`);
    await q.query(`DROP INDEX upp_code_key`);
    await q.query(`CREATE UNIQUE INDEX upp_code_key ON upp (faculty_id, code)`);
    await q.query(`ALTER TABLE phase_requirement DROP CONSTRAINT phase_requirement_version_key`);
    await q.query(`ALTER TABLE phase_requirement ADD CONSTRAINT phase_requirement_version_key UNIQUE (faculty_id, phase, version)`);
    // A user's faculty is looked up on every membership check; an index on it for each table's lists.
    for (const table of ['app_user', 'trace', 'tutorship', 'portfolio_export', 'jury_session', 'stage', 'audit_log']) {
      await q.query(`CREATE INDEX ${table}_faculty_idx ON ${table} (faculty_id)`);
    }

    await this.tallies(q);
    // What the system writes about a user outside a request (a sign-in's audit entry, a reminder
    // sent by the worker) is their faculty's: the row takes the faculty of the user it names.
    await q.query(`
      CREATE FUNCTION carnet_faculty_of_user() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        named uuid;
      BEGIN
        -- In a faculty's scope the row is the scope's (the default). Outside one, it is the
        -- named user's faculty, even in a one-faculty deployment: the operator's is none.
        IF carnet_faculty() IS NOT NULL THEN RETURN NEW; END IF;
        EXECUTE format('SELECT ($1).%I', TG_ARGV[0]) USING NEW INTO named;
        IF named IS NOT NULL THEN
          NEW.faculty_id := (SELECT faculty_id FROM app_user WHERE id = named);
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER audit_log_faculty BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION carnet_faculty_of_user('actor_id')`);
    await q.query(`CREATE TRIGGER reminder_log_faculty BEFORE INSERT ON reminder_log FOR EACH ROW EXECUTE FUNCTION carnet_faculty_of_user('user_id')`);

    for (const table of FACULTY_TABLES) await enableFacultyRls(q, table);
    // The national log: entries of no faculty (the operator's own actions, sign-ins of unknown
    // addresses) are the operator's scope's, and only theirs.
    await q.query(`ALTER POLICY audit_log_faculty ON audit_log USING (faculty_id IS NOT DISTINCT FROM carnet_faculty()) WITH CHECK (faculty_id IS NOT DISTINCT FROM carnet_faculty())`);
    for (const table of KEYED_ALREADY) await enableFacultyRls(q, table);
    // What holds no faculty's data: the faculties themselves, promotions (years), sessions and
    // one-time tokens (found by their hash only), throttling, the audit roll-up's mark, flows.
    const schema = await schemaOf(q);
    await q.query(`GRANT SELECT ON faculty, promotion, audit_rollup TO carnet_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON session, one_time_token, login_attempt, university_sign_in_flow, identity_link_proposal TO carnet_app`);
    await q.query(`GRANT INSERT ON promotion TO carnet_app`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO carnet_app`);
    // Later migrations' tables are the app's too; each seals its own with enableFacultyRls.
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO carnet_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO carnet_app`);
  }

  /** The trace and tag tallies and the audit's daily counts, by faculty (their triggers, rewritten). */
  private async tallies(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trace_tally DROP CONSTRAINT trace_tally_pkey, ADD PRIMARY KEY (faculty_id, status, kind)`);
    await q.query(`ALTER TABLE trace_tag_tally DROP CONSTRAINT trace_tag_tally_pkey, ADD PRIMARY KEY (faculty_id, axis, tag, status, kind)`);
    await q.query(`ALTER TABLE audit_day DROP CONSTRAINT audit_day_pkey, ADD PRIMARY KEY (faculty_id, action, day)`);
    await q.query(`DROP FUNCTION trace_tally_add(bigint, text, text, bigint) CASCADE`);
    await q.query(`
      CREATE FUNCTION trace_tally_add(delta bigint, at_faculty uuid, at_status text, at_kind text, how_many bigint) RETURNS void LANGUAGE sql AS $$
        INSERT INTO trace_tally (faculty_id, status, kind, n) VALUES (at_faculty, at_status, at_kind, 0) ON CONFLICT (faculty_id, status, kind) DO NOTHING;
        UPDATE trace_tally SET n = n + delta * how_many WHERE faculty_id = at_faculty AND status = at_status AND kind = at_kind;
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION trace_tally_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM trace_tally_add(1, faculty_id, status, kind, count(*)) FROM inserted GROUP BY faculty_id, status, kind ORDER BY faculty_id, status, kind;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION trace_tally_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM trace_tally_add(-1, faculty_id, status, kind, count(*)) FROM deleted GROUP BY faculty_id, status, kind ORDER BY faculty_id, status, kind;
        RETURN NULL;
      END $$`);
    // A trace keeps its faculty when it moves between statuses or kinds (a portfolio's transfer
    // deletes and inserts, counted by the two triggers above).
    await q.query(`
      CREATE OR REPLACE FUNCTION trace_tally_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (OLD.status, OLD.kind) < (NEW.status, NEW.kind) THEN
          PERFORM trace_tally_add(-1, OLD.faculty_id, OLD.status, OLD.kind, 1);
          PERFORM trace_tally_add(1, NEW.faculty_id, NEW.status, NEW.kind, 1);
        ELSE
          PERFORM trace_tally_add(1, NEW.faculty_id, NEW.status, NEW.kind, 1);
          PERFORM trace_tally_add(-1, OLD.faculty_id, OLD.status, OLD.kind, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`DROP FUNCTION trace_tag_tally_add(bigint, text, text, text, text) CASCADE`);
    await q.query(`
      CREATE FUNCTION trace_tag_tally_add(delta bigint, at_faculty uuid, at_axis text, at_tag text, at_status text, at_kind text) RETURNS void LANGUAGE sql AS $$
        INSERT INTO trace_tag_tally (faculty_id, axis, tag, status, kind, n) VALUES (at_faculty, at_axis, at_tag, at_status, at_kind, 0) ON CONFLICT DO NOTHING;
        UPDATE trace_tag_tally SET n = n + delta WHERE faculty_id = at_faculty AND axis = at_axis AND tag = at_tag AND status = at_status AND kind = at_kind;
      $$`);
    const apply = (source: string) => `
      PERFORM trace_tag_tally_add(sum(d), faculty_id, axis, tag, status, kind)
         FROM (${source}) x GROUP BY faculty_id, axis, tag, status, kind HAVING sum(d) <> 0 ORDER BY faculty_id, axis, tag, status, kind;`;
    await q.query(`CREATE OR REPLACE FUNCTION trace_tag_tally_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${apply(tagRows('inserted', 1))} RETURN NULL; END $$`);
    await q.query(`CREATE OR REPLACE FUNCTION trace_tag_tally_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${apply(tagRows('deleted', -1))} RETURN NULL; END $$`);
    await q.query(
      `CREATE OR REPLACE FUNCTION trace_tag_tally_moved() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${apply(`${tagRows('(SELECT OLD.*) o', -1)} UNION ALL ${tagRows('(SELECT NEW.*) n', 1)}`)} RETURN NULL; END $$`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ n }] = (await q.query(`SELECT count(*)::int AS n FROM faculty`)) as { n: number }[];
    if (n > 1) throw new Error('Several faculties share this database: their data cannot be merged back into one. Restore the backup taken before the upgrade.');
    const schema = await schemaOf(q);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE ALL ON SEQUENCES FROM carnet_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE ALL ON TABLES FROM carnet_app`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM carnet_app`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM carnet_app`);
    await q.query(`REVOKE USAGE ON SCHEMA ${schema} FROM carnet_app`);
    for (const table of [...KEYED_ALREADY, ...FACULTY_TABLES]) await disableFacultyRls(q, table);
    await q.query(`DROP TRIGGER reminder_log_faculty ON reminder_log`);
    await q.query(`DROP TRIGGER audit_log_faculty ON audit_log`);
    await q.query(`DROP FUNCTION carnet_faculty_of_user()`);
    await q.query(`DROP FUNCTION trace_tag_tally_add(bigint, uuid, text, text, text, text)`);
    await q.query(`
      CREATE FUNCTION trace_tag_tally_add(delta bigint, at_axis text, at_tag text, at_status text, at_kind text) RETURNS void LANGUAGE sql AS $$
        INSERT INTO trace_tag_tally (axis, tag, status, kind, n) VALUES (at_axis, at_tag, at_status, at_kind, 0) ON CONFLICT DO NOTHING;
        UPDATE trace_tag_tally SET n = n + delta WHERE axis = at_axis AND tag = at_tag AND status = at_status AND kind = at_kind;
      $$`);
    for (const statement of tallyFunctions(withPairs)) await q.query(statement);
    await q.query(`DROP FUNCTION trace_tally_add(bigint, uuid, text, text, bigint)`);
    await q.query(`
      CREATE FUNCTION trace_tally_add(delta bigint, at_status text, at_kind text, how_many bigint) RETURNS void LANGUAGE sql AS $$
        INSERT INTO trace_tally (status, kind, n) VALUES (at_status, at_kind, 0) ON CONFLICT (status, kind) DO NOTHING;
        UPDATE trace_tally SET n = n + delta * how_many WHERE status = at_status AND kind = at_kind;
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION trace_tally_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM trace_tally_add(1, status, kind, count(*)) FROM inserted GROUP BY status, kind ORDER BY status, kind;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION trace_tally_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM trace_tally_add(-1, status, kind, count(*)) FROM deleted GROUP BY status, kind ORDER BY status, kind;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION trace_tally_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (OLD.status, OLD.kind) < (NEW.status, NEW.kind) THEN
          PERFORM trace_tally_add(-1, OLD.status, OLD.kind, 1);
          PERFORM trace_tally_add(1, NEW.status, NEW.kind, 1);
        ELSE
          PERFORM trace_tally_add(1, NEW.status, NEW.kind, 1);
          PERFORM trace_tally_add(-1, OLD.status, OLD.kind, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`ALTER TABLE audit_day DROP CONSTRAINT audit_day_pkey, ADD PRIMARY KEY (action, day)`);
    await q.query(`ALTER TABLE trace_tag_tally DROP CONSTRAINT trace_tag_tally_pkey, ADD PRIMARY KEY (axis, tag, status, kind)`);
    await q.query(`ALTER TABLE trace_tally DROP CONSTRAINT trace_tally_pkey, ADD PRIMARY KEY (status, kind)`);
    await q.query(`DROP INDEX upp_code_key`);
    await q.query(`CREATE UNIQUE INDEX upp_code_key ON upp (code)`);
    await q.query(`ALTER TABLE phase_requirement DROP CONSTRAINT phase_requirement_version_key`);
    await q.query(`ALTER TABLE phase_requirement ADD CONSTRAINT phase_requirement_version_key UNIQUE (phase, version)`);
    await q.query(`DELETE FROM app_user WHERE faculty_id IS NULL`);
    await q.query(`DROP INDEX app_user_email_idx`);
    await q.query(`DROP INDEX app_user_email_key`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_key ON app_user (email)`);
    await q.query(`ALTER TABLE app_user DROP CONSTRAINT app_user_roles_check`);
    await q.query(`ALTER TABLE app_user ADD CONSTRAINT app_user_roles_check CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY['intern','tutor','jury','admin']::text[])`);
    for (const table of FACULTY_TABLES) await q.query(`ALTER TABLE ${table} DROP COLUMN faculty_id`);
    await q.query(`ALTER TABLE faculty DROP COLUMN active`);
    await q.query(`DROP FUNCTION carnet_current_faculty()`);
    await q.query(`DROP FUNCTION carnet_faculty()`);
  }
}

async function schemaOf(q: QueryRunner): Promise<string> {
  const [{ schema }] = (await q.query(`SELECT quote_ident(current_schema()) AS schema`)) as { schema: string }[];
  return schema;
}
