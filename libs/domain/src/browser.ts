// What the web app takes from this library: the referential, the phases, the patient-identifier
// detector, which run in a browser as they do on the server (same rules, same results), and the
// French labels of the codes, worded as the exports word them.
export * from './traces/referential';
export * from './portfolio/phases';
export * from './privacy';
export * from './labels';
export * from './stages/evaluations';
export { ATTENDANCE_STATUS_LABELS, ATTENDANCE_VIA_LABELS, MANDATORY_SESSION_STATE_LABELS, TEACHING_KIND_WORDS, TEACHING_KINDS } from './teaching/teaching';
export type { TeachingKind } from './teaching/teaching';
export type { PhaseRules } from './portfolio/requirements';
