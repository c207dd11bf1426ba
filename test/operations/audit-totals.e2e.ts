import type { PinoLogger } from 'nestjs-pino';
import { AuditRepository } from '@carnet/database';
import { AuditRollupProcessor } from '../../apps/worker/src/audit/audit-rollup.processor';
import { actor, Actor } from '../support/actors';
import { startTestApp, TestApp } from '../support/test-app';

let api: TestApp;
let admin: Actor;
let rollup: AuditRollupProcessor;
const quiet = { setContext: () => undefined, info: () => undefined } as unknown as PinoLogger;

const DAY = 86400_000;
/** Midnight UTC `days` ago, plus `ms`. */
const at = (days: number, ms = 0) => new Date(Math.floor(Date.now() / DAY) * DAY - days * DAY + ms).toISOString();

beforeAll(async () => {
  api = await startTestApp();
  admin = await actor(api.http, api.dataSource, { roles: ['admin'] });
  rollup = new AuditRollupProcessor(api.app.get(AuditRepository), quiet);
  // Years of log, as a deployment holds: entries on earlier days, some on a day's first and last instants.
  const past: [string, string, number][] = [
    [at(40, 10 * 3600_000), 'user.login', 3],
    [at(5, 10 * 3600_000), 'user.login', 2],
    [at(3), 'trace.read', 2],
    [at(3, DAY - 1), 'trace.read', 1],
    [at(2, 12 * 3600_000), 'trace.created', 4],
    [at(2, 12 * 3600_000), 'trace.read', 5],
  ];
  for (const [when, action, n] of past) {
    await api.dataSource.query(`INSERT INTO audit_log (occurred_at, action, subject_type, details) SELECT $1, $2, 'trace', '{}' FROM generate_series(1, $3)`, [when, action, n]);
  }
});
afterAll(async () => {
  await api.close();
});

/** The views an admin opens: everything, an action, a period (whole days or not), both. */
const VIEWS: Record<string, string>[] = [
  {},
  { action: 'trace.read' },
  { from: at(3) },
  { from: at(3, 12 * 3600_000), to: at(2, 13 * 3600_000) },
  { to: at(4) },
  { action: 'trace.created', from: at(5, 9 * 3600_000), to: new Date(Date.now() + DAY).toISOString() },
  { from: at(3, 3600_000), to: at(3, 2 * 3600_000) },
  { action: 'user.login', to: at(3) },
];

async function expectTotalsAsCounted() {
  for (const view of VIEWS) {
    const page = await api.http.get('/api/admin/audit').query({ ...view, pageSize: '1' }).set('Authorization', admin.bearer).expect(200);
    const [{ count }] = await api.dataSource.query(
      `SELECT count(*)::int AS count FROM audit_log WHERE ($1::text IS NULL OR action = $1) AND occurred_at >= coalesce($2::timestamptz, '-infinity') AND occurred_at < coalesce($3::timestamptz, 'infinity')`,
      [view.action ?? null, view.from ?? null, view.to ?? null],
    );
    expect({ view, total: page.body.total }).toEqual({ view, total: count });
  }
}

describe('the audit log’s totals', () => {
  it('are exact before the days are rolled up, after, and as entries keep coming', async () => {
    await expectTotalsAsCounted();

    const first = await rollup.run();
    const [{ final }] = await api.dataSource.query(`SELECT (((now() - interval '1 hour') AT TIME ZONE 'UTC')::date - 1)::text AS final`);
    expect(first.through).toBe(final); // every day that ended over an hour ago
    const [{ before }] = await api.dataSource.query(`SELECT count(*)::int AS before FROM audit_log WHERE occurred_at < ($1::date + 1)::timestamp AT TIME ZONE 'UTC'`, [final]);
    expect(first.entries).toBe(before);
    await expectTotalsAsCounted();

    // A second run (another worker, a retry) finds nothing left to roll up.
    expect(await rollup.run()).toEqual({ entries: 0, through: null });
    // Today's activity is counted from the log.
    await actor(api.http, api.dataSource, { roles: ['intern'], upp: 'nimes', promotion: 2025 });
    await api.http.get('/api/admin/audit').set('Authorization', admin.bearer).expect(200);
    await expectTotalsAsCounted();
  });

  it('refuses a period that is not a date with 422, naming the field', async () => {
    const refused = await api.http.get('/api/admin/audit').query({ from: 'hier' }).set('Authorization', admin.bearer).expect(422);
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(['from']);
  });
});
