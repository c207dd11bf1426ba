// The errors' detection is the database library's (libs/database/src/sql/database-errors.ts).
export { isUniqueViolation, violatedConstraint } from '@carnet/database';
