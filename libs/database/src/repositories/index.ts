export * from './files';
export { Database, Transactions, type Tx } from './database';
export { REPOSITORIES } from './registry';
