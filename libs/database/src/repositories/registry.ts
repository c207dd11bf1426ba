import * as files from './files';
import { Database, Transactions } from './database';

type Provider = new (...args: never[]) => unknown;

/**
 * What the infrastructure module provides to the API and the worker alike: the database handle,
 * the transactions, and every repository class `files.ts` exports.
 */
export const REPOSITORIES: Provider[] = [
  Database,
  Transactions,
  ...(Object.values(files) as unknown[]).filter((value): value is Provider => typeof value === 'function' && value.name.endsWith('Repository')),
];
