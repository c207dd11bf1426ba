import { Foundation1764000000000 } from './1764000000000-foundation';

/** Every migration, in order. Listed by hand so the same array serves tsc output and jest. */
export const migrations = [Foundation1764000000000];
