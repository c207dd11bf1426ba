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
