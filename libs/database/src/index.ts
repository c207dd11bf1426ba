export * from './entities';
export { createDataSource, dataSourceOptions, openDatabase, migrate, revertLastMigration } from './data-source';
export { EMBEDDED_ENV, startEmbeddedPostgres, EmbeddedPostgres, EmbeddedPostgresLockedError } from './embedded-postgres';
export { migrations } from './migrations';
export { entityColumns, PreparedStatements, statementName } from './prepared-statements';
export * from './access-sql';
export { Tenancy, inRequestFaculty, installTenancy, requestFacultySql, type TenantScope } from './tenancy';
export { enableFacultyRls } from './tenancy-migration';
export { FACULTY_TABLES } from './migrations/1764000027000-faculties';
