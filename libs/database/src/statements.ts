import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

/**
 * The hot reads (the session lookup every request makes, a trace list, its comments, progress)
 * sent as named prepared statements: PostgreSQL plans a text once per connection and reuses the
 * plan, where planning is most of a sub-millisecond read's time (0.85 ms of a tutor's inbox, 0.12
 * once prepared). For fixed texts only, each a shape the code writes (values are parameters):
 * every text stays prepared on every connection of the pool.
 *
 * Off (`prepare` false) where connections do not each have their own session: the embedded
 * PGlite (one backend shared by every socket) and a pooler in transaction mode. Errors are
 * TypeORM's `QueryFailedError`, as from `DataSource.query`.
 */
export class Statements {
  constructor(
    private readonly dataSource: DataSource,
    private readonly prepare: boolean,
  ) {}

  /** Runs `text`; inside a transaction (`manager` holding a query runner), on its connection, unprepared. */
  async query<T>(text: string, values: unknown[], manager?: EntityManager): Promise<T[]> {
    if (manager?.queryRunner) return manager.query(text, values);
    if (!this.prepare) return this.dataSource.query(text, values);
    const pool = (this.dataSource.driver as unknown as { master: Pool }).master;
    try {
      return (await pool.query({ name: statementName(text), text, values })).rows as T[];
    } catch (error) {
      throw new QueryFailedError(text, values, error as Error);
    }
  }
}

const names = new Map<string, string>();

/** A prepared statement's name: its text's hash, so one text is one statement on a connection. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `carnet_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`));
  return name;
}
