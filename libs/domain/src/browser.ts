// What the web app takes from this library: the referential, the phases and the patient-identifier
// detector, which run in a browser as they do on the server (same rules, same results).
export * from './traces/referential';
export * from './portfolio/phases';
export * from './privacy';
