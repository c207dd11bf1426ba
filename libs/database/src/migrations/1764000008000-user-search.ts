import { MigrationInterface, QueryRunner } from 'typeorm';

export class UserSearch1764000008000 implements MigrationInterface {
  name = 'UserSearch1764000008000';

  async up(q: QueryRunner): Promise<void> {
    // The admin's user search ("mart" finds Martin, Martín, martin@…) as a trigram index on the
    // folded name and address. unaccent() is only STABLE; an index needs an IMMUTABLE function,
    // hence this wrapper with the dictionary named (the pattern PostgreSQL's documentation gives).
    await q.query(`
      CREATE FUNCTION public.carnet_fold(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        RETURN public.unaccent('public.unaccent'::regdictionary, lower($1))`);
    await q.query(`CREATE INDEX app_user_search_trgm_idx ON app_user USING gin (public.carnet_fold(last_name || ' ' || first_name || ' ' || email) gin_trgm_ops)`);
    await q.query(`CREATE INDEX app_user_name_idx ON app_user (last_name, first_name, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX app_user_name_idx`);
    await q.query(`DROP INDEX app_user_search_trgm_idx`);
    await q.query(`DROP FUNCTION public.carnet_fold(text)`);
  }
}
