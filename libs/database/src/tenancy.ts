import { AsyncLocalStorage } from 'node:async_hooks';
import { Raw } from 'typeorm';
import type { DataSource, FindOperator, QueryRunner } from 'typeorm';

/**
 * Whose data a piece of work may see: one faculty, or none (the national operator, who sees
 * faculties and counts but no faculty's rows). Work outside any scope is the system's: sign-in
 * before the user is known, the workers' sweeps, migrations.
 */
export interface TenantScope {
  facultyId: string | null;
}

const storage = new AsyncLocalStorage<TenantScope>();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const Tenancy = {
  /** Runs `work` in `scope`: every statement it sends runs as `carnet_app` under row-level security. */
  run<T>(scope: TenantScope, work: () => T): T {
    if (scope.facultyId !== null && !UUID.test(scope.facultyId)) throw new Error(`Not a faculty id: ${scope.facultyId}`);
    return storage.run(Object.freeze({ ...scope }), work);
  },
  /** Runs `work` as the system, outside the caller's scope (a password shared by a person's memberships). */
  asSystem<T>(work: () => T): T {
    return storage.exit(work);
  },
  current(): TenantScope | undefined {
    return storage.getStore();
  },
};

/**
 * The statement that opens a scoped transaction: `SET LOCAL` both, so they end with it, safe on
 * a pooled connection and on the embedded database's one shared session (ADR 0007). Sent as
 * one simple-protocol text with the transaction's start: one round trip.
 */
export function scopeStatement(scope: TenantScope): string {
  const faculty = scope.facultyId ?? '';
  return `START TRANSACTION; SELECT set_config('carnet.faculty', '${faculty}', true); SET LOCAL ROLE carnet_app`;
}

/**
 * Makes every query runner `dataSource` hands out inside a scope honour it, so that
 * `dataSource.query`, repositories, `transaction(...)` and the prepared statements need no
 * change: a transaction started in scope sets the scope first; a statement outside any
 * transaction runs in a scoped transaction of its own (as autocommit would have committed it).
 */
export function installTenancy(dataSource: DataSource): DataSource {
  const create = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (mode) => {
    const runner = create(mode);
    const scope = storage.getStore();
    if (scope) scopeRunner(runner, scope);
    return runner;
  };
  return dataSource;
}

function scopeRunner(runner: QueryRunner, scope: TenantScope): void {
  const query = runner.query.bind(runner) as (text: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
  runner.query = (async (text: string, parameters?: unknown[], structured?: boolean) => {
    // TypeORM opens a transaction (depth 0) with this text through runner.query: ours sends the scope with it.
    if (text === 'START TRANSACTION') return query(scopeStatement(scope));
    if (runner.isTransactionActive) return query(text, parameters, structured);
    await runner.startTransaction();
    try {
      const result = await query(text, parameters, structured);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }) as QueryRunner['query'];
}

/**
 * The application's own faculty filter (the first seal, ADR 0007), for find options:
 * `{ id, facultyId: inRequestFaculty() }` matches rows of the request's faculty only, whatever
 * row-level security does.
 */
export const inRequestFaculty = (): FindOperator<string> => Raw((column) => `${column} = carnet_faculty()`);
/** The same filter in hand-written SQL, on `alias`. */
export const requestFacultySql = (alias: string) => `${alias}.faculty_id = carnet_faculty()`;
