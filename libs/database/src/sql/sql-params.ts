/**
 * The parameters of a hand-written statement, bound as its fragments are written: PostgreSQL
 * refuses a parameter the statement never mentions, so a fragment binds only when it is used.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  private readonly names = new Map<string, string>();

  /** Binds `value`; returns its placeholder (`$n`). */
  add(value: unknown): string {
    return `$${this.values.push(value)}`;
  }

  /** Binds `value` once under `name`, however many times the statement uses it. */
  named(name: string, value: unknown): string {
    let placeholder = this.names.get(name);
    if (!placeholder) this.names.set(name, (placeholder = this.add(value)));
    return placeholder;
  }
}

/**
 * One of a closed list of values (a status, a kind), checked against it, as a SQL literal: for
 * values a statement's text may carry, so that its prepared plan is made for them.
 */
export function literalOf<T extends string>(value: T, allowed: readonly T[]): string {
  if (!allowed.includes(value) || !/^[a-z_]+$/.test(value)) throw new Error(`not one of ${allowed.join(', ')}: ${value}`);
  return `'${value}'`;
}

/**
 * A timestamptz column as JSON carries it (`Date.prototype.toISOString`: UTC, milliseconds, `Z`),
 * formatted by PostgreSQL: a list of 50 rows otherwise parses 200 timestamps into `Date`s only to
 * print them back, and `JSON.stringify` of a `Date` leaves V8's fast path.
 */
export function isoSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * A timestamptz column as a sort key: UTC to the microsecond in fixed width, so that its text
 * order (`COLLATE "C"`) is the time order whatever the session's time zone; a cursor carries it.
 */
export function keySql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') COLLATE "C"`;
}
