import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { Tenancy } from './tenancy';
import { DataSource, EntityManager, EntityTarget, QueryFailedError, QueryResult, type QueryRunner } from 'typeorm';

/**
 * The hot reads (the session lookup every request makes, a trace list, its comments, progress)
 * sent as named prepared statements: PostgreSQL plans a text once per connection and reuses the
 * plan, where planning is most of a sub-millisecond read's time (docs/benchmarks.md). For texts the code writes (values are parameters, but for a list's limit and
 * closed-list filters): every text stays prepared on every connection of the pool, up to
 * `MAX_PREPARED_TEXTS` texts.
 *
 * Off (`prepare` false) where connections do not each have their own session: the embedded
 * PGlite (one backend shared by every socket) and a pooler in transaction mode. Errors are
 * TypeORM's `QueryFailedError`, as from `DataSource.query`.
 */
export class PreparedStatements {
  /** The texts prepared so far (each, on every connection that ran it), up to `limit`, and their names. */
  private readonly prepared = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly prepare: boolean,
    private readonly limit = MAX_PREPARED_TEXTS,
  ) {}

  /** Runs `text`; inside a transaction (`manager` holding a query runner), on its connection. */
  async query<T>(text: string, values: unknown[], manager?: EntityManager): Promise<T[]> {
    const runner = manager?.queryRunner;
    if (!runner && Tenancy.current()) return this.scoped<T>(text, values);
    if (!this.prepare) return this.unprepared<T>(text, values, runner);
    // A transaction's connection is the query runner's (TypeORM's connect() hands back the one it holds).
    const target = runner ? ((await runner.connect()) as PoolClient) : (this.dataSource.driver as unknown as { master: Pool }).master;
    let name = this.prepared.get(text);
    if (name === undefined && this.prepared.size < this.limit) this.prepared.set(text, (name = statementName(text)));
    try {
      return (await target.query(name === undefined ? { text, values } : { name, text, values })).rows as T[];
    } catch (error) {
      throw new QueryFailedError(text, values, error as Error);
    }
  }

  /** A statement in a faculty's scope, outside any transaction: in a scoped one of its own (ADR 0007). */
  private async scoped<T>(text: string, values: unknown[]): Promise<T[]> {
    const own = this.dataSource.createQueryRunner();
    try {
      await own.startTransaction();
      const rows = await this.query<T>(text, values, own.manager);
      await own.commitTransaction();
      return rows;
    } catch (error) {
      if (own.isTransactionActive) await own.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await own.release();
    }
  }

  /**
   * The rows of an unprepared statement, from TypeORM's structured result: its plain `query()`
   * answers an UPDATE or DELETE … RETURNING with `[rows, count]` instead of the rows.
   */
  private async unprepared<T>(text: string, values: unknown[], runner: QueryRunner | undefined): Promise<T[]> {
    const own = runner ?? this.dataSource.createQueryRunner();
    try {
      return ((await own.query(text, values, true)) as QueryResult).records as T[];
    } finally {
      if (!runner) await own.release();
    }
  }
}

/**
 * The select list of an entity's columns on `alias`, each named as its property, as TypeORM
 * would hydrate it (columns marked `select: false` left out, and the properties in `without`): for hand-written statements that
 * return entities, without a second list of columns to keep in step with the entity.
 */
export function entityColumns(dataSource: DataSource, entity: EntityTarget<object>, alias: string, without: string[] = []): string {
  return dataSource
    .getMetadata(entity)
    .columns.filter((column) => column.isSelect && !without.includes(column.propertyName))
    .map((column) => `${alias}.${column.databaseName} AS "${column.propertyName}"`)
    .join(', ');
}

/**
 * Texts carry a list's limit and filter values (so each plan is made for them): a few dozen
 * shapes in use, a few hundred at most. Past this many, a text runs unnamed (planned each
 * time), so that an unforeseen variety cannot grow every backend's memory (some 20–60 KB a
 * prepared plan) without end.
 */
export const MAX_PREPARED_TEXTS = 500;

const names = new Map<string, string>();

/** A prepared statement's name: its text's hash, so one text is one statement on a connection. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `carnet_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`));
  return name;
}
