export * from './entities';
export { createDataSource, dataSourceOptions, openDatabase, migrate, revertLastMigration } from './data-source';
export { EMBEDDED_ENV, startEmbeddedPostgres, EmbeddedPostgres, EmbeddedPostgresLockedError } from './embedded-postgres';
export { migrations } from './migrations';
export { entityColumns, PreparedStatements, statementName } from './prepared-statements';
