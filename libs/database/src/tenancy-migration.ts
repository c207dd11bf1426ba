import type { QueryRunner } from 'typeorm';

/**
 * Seals `table` by faculty with row-level security: a transaction running as `carnet_app` sees
 * and writes only rows of the faculty its `carnet.faculty` setting names (none when unset). The
 * owner the migrations run as is not subject to it (the policy is not FORCEd): that is the
 * system context of sign-in, the workers' sweeps and the national operator's counts.
 * The table must have its `faculty_id` column (NOT NULL DEFAULT carnet_current_faculty()).
 */
export async function enableFacultyRls(q: QueryRunner, table: string): Promise<void> {
  await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await q.query(`CREATE POLICY ${table}_faculty ON ${table} USING (faculty_id = carnet_faculty()) WITH CHECK (faculty_id = carnet_faculty())`);
  await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO carnet_app`);
}

export async function disableFacultyRls(q: QueryRunner, table: string): Promise<void> {
  await q.query(`DROP POLICY IF EXISTS ${table}_faculty ON ${table}`);
  await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
}
