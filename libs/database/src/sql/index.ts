export { isoSql, keySql, literalOf, SqlParams } from './sql-params';
export { CURSOR_KEY, cursorAfter, cursorKeys, keysetPage, offsetOf, pageOf, type Page, type PageRequest } from './paging';
export { isUniqueViolation, violatedConstraint } from './database-errors';
