// The scan lives in privacy/; this path stays for the callers that import it from here.
export { findPatientIdentifiers } from '../privacy';
export type { IdentifierKind, IdentifierWarning, ScanOptions } from '../privacy';
