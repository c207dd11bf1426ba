import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A trace's search vector leaves the autosave path. It was a generated column: every save ran
 * the French stemmer over the whole text again and rewrote the vector beside it, the dearest part
 * of the most frequent write. It becomes a plain column that a save only marks stale
 * (`search_stale`); the worker recomputes it once the trace has not been saved for a while, and a
 * search computes the vector of a stale trace itself, so a search always finds what was last
 * saved. A trace inserted by any writer (the API, the seed, a fixture) gets its vector at once.
 * The values already stored are kept (`DROP EXPRESSION` rewrites nothing); the new flag's
 * default costs no rewrite either.
 */
export class TraceSearchOffAutosave1764000025000 implements MigrationInterface {
  name = 'TraceSearchOffAutosave1764000025000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION trace_search_vector(title text, body text) RETURNS tsvector
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT setweight(to_tsvector('public.french_unaccent', title), 'A') || setweight(to_tsvector('public.french_unaccent', body), 'B') $$`);
    await q.query(`ALTER TABLE trace ALTER COLUMN search DROP EXPRESSION`);
    await q.query(`ALTER TABLE trace ADD COLUMN search_stale boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE FUNCTION trace_search_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search := trace_search_vector(NEW.title, NEW.content_text);
        NEW.search_stale := false;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER trace_search_insert BEFORE INSERT ON trace FOR EACH ROW EXECUTE FUNCTION trace_search_on_insert()`);
    // The worker's queue: the stale traces, oldest save first; empty most of the time.
    await q.query(`CREATE INDEX trace_search_stale_idx ON trace (updated_at) WHERE search_stale`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX trace_search_stale_idx`);
    await q.query(`DROP TRIGGER trace_search_insert ON trace`);
    await q.query(`DROP FUNCTION trace_search_on_insert()`);
    await q.query(`ALTER TABLE trace DROP COLUMN search_stale`);
    await q.query(`ALTER TABLE trace DROP COLUMN search`);
    await q.query(`
      ALTER TABLE trace ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('public.french_unaccent', title), 'A') ||
        setweight(to_tsvector('public.french_unaccent', content_text), 'B')
      ) STORED`);
    await q.query(`DROP FUNCTION trace_search_vector(text, text)`);
  }
}
