export { findPatientIdentifiers } from './detector';
export type { IdentifierKind, IdentifierWarning, ScanOptions } from './types';
export { IDENTIFIER_KINDS } from './types';
