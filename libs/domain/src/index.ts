export * from './errors';
export * from './roles';
export * from './identity/user-import';
export * from './identity/tutorship-rules';
export * from './identity/password-policy';
export * from './traces/referential';
export * from './traces/trace-workflow';
export * from './traces/patient-identifiers';
