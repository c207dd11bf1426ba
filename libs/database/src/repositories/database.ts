import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { PreparedStatements } from '../prepared-statements';

/**
 * A transaction as the services hand it to repositories: opaque to them, who never send SQL.
 * Every repository method that writes takes one, optional: without it, the method runs on the
 * pool (a statement of its own).
 */
export type Tx = EntityManager;

/** The transaction the running work is inside, while it is open. */
const open = new AsyncLocalStorage<{ open: boolean }>();

/** The guard (below): a statement on the pool while the running work's transaction is open. */
function refuseInsideTransaction(): void {
  if (open.getStore()?.open) throw new Error('A repository was called on the pool from inside a transaction: pass it the transaction (tx).');
}

/**
 * What a repository runs its statements on: the transaction it is given, or the pool. A statement
 * sent on the pool from inside a transaction's work is refused: on the embedded database (one
 * backend, transactions serialised) it would wait forever for the transaction that waits for it,
 * and anywhere else it would not see, nor be undone with, the transaction's writes.
 */
@Injectable()
export class Database {
  constructor(
    @InjectDataSource() readonly dataSource: DataSource,
    readonly statements: PreparedStatements,
  ) {}

  /** The manager to send a statement on: `tx`'s, or the pool's outside any transaction. */
  manager(tx?: Tx): EntityManager {
    if (tx) return tx;
    refuseInsideTransaction();
    return this.dataSource.manager;
  }

  /** One statement, on `tx` or the pool. */
  query<T>(sql: string, parameters: unknown[] = [], tx?: Tx): Promise<T[]> {
    return this.manager(tx).query(sql, parameters) as Promise<T[]>;
  }

  /** One statement sent as a named prepared statement (a hot read: ADR 0009), on `tx` or the pool. */
  prepared<T>(sql: string, parameters: unknown[], tx?: Tx): Promise<T[]> {
    if (!tx) refuseInsideTransaction();
    return this.statements.query<T>(sql, parameters, tx);
  }
}

/**
 * The services' one hold on the database: the boundaries of their units of work. What runs inside
 * `run` is given the transaction to hand to each repository it calls.
 */
@Injectable()
export class Transactions {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  run<T>(isolation: IsolationLevel, work: (tx: Tx) => Promise<T>): Promise<T>;
  run<T>(first: IsolationLevel | ((tx: Tx) => Promise<T>), second?: (tx: Tx) => Promise<T>): Promise<T> {
    const work = typeof first === 'function' ? first : second!;
    const inside = async (tx: Tx) => {
      const state = { open: true };
      try {
        return await open.run(state, () => work(tx));
      } finally {
        // Work it started that outlives it (a notification not awaited) is on the pool again.
        state.open = false;
      }
    };
    return typeof first === 'function' ? this.dataSource.transaction(inside) : this.dataSource.transaction(first, inside);
  }
}
