export * from './entities';
export { createDataSource, dataSourceOptions, openDatabase, migrate } from './data-source';
export { startEmbeddedPostgres, EmbeddedPostgres, EmbeddedPostgresLockedError } from './embedded-postgres';
export { migrations } from './migrations';
export { SESSION_CHANNEL } from './migrations/1764000015000-session-notify';
export { entityColumns, statementName, Statements } from './statements';
