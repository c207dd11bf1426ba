import { createMigratedDatabase, MigratedDatabase } from '../../../../test/support/database';
import { PreparedStatements } from '../prepared-statements';
import { AuditRepository } from './audit.repository';
import { Database, Transactions } from './database';

/**
 * The guard against the embedded database's deadlock: a repository called on the pool from inside
 * a transaction's work is refused (on PGlite it waited forever for that transaction), while the
 * transaction's own statements, and work that outlives the transaction, run.
 */
let db: MigratedDatabase;
let transactions: Transactions;
let audit: AuditRepository;

beforeAll(async () => {
  db = await createMigratedDatabase();
  transactions = new Transactions(db.dataSource);
  audit = new AuditRepository(new Database(db.dataSource, new PreparedStatements(db.dataSource, false)));
});
afterAll(() => db.drop());

const who = { userId: null, ip: '192.0.2.1', requestId: 'guard' };
const entries = async (action: string) => Number((await db.dataSource.query(`SELECT count(*) AS n FROM audit_log WHERE action = $1`, [action]))[0].n);

describe('Transactions and the repositories', () => {
  it('saves what the work writes on its transaction, together', async () => {
    await transactions.run(async (tx) => {
      await audit.record(who, { action: 'guard.one' }, tx);
      await audit.record(who, { action: 'guard.one' }, tx);
    });
    expect(await entries('guard.one')).toBe(2);
  });

  it('undoes all of it when the work fails', async () => {
    await expect(
      transactions.run(async (tx) => {
        await audit.record(who, { action: 'guard.undone' }, tx);
        throw new Error('refused half-way');
      }),
    ).rejects.toThrow('refused half-way');
    expect(await entries('guard.undone')).toBe(0);
  });

  it('refuses a repository call on the pool from inside the work, and rolls the work back', async () => {
    await expect(
      transactions.run(async (tx) => {
        await audit.record(who, { action: 'guard.forgotten' }, tx);
        await audit.record(who, { action: 'guard.forgotten' });
      }),
    ).rejects.toThrow(/from inside a transaction/);
    expect(await entries('guard.forgotten')).toBe(0);
  });

  it('lets work the transaction started run on the pool once it has ended', async () => {
    let later: Promise<void> | undefined;
    await transactions.run(async (tx) => {
      await audit.record(who, { action: 'guard.after' }, tx);
      later = new Promise<void>((resolve) => setTimeout(resolve, 20)).then(() => audit.record(who, { action: 'guard.after' }));
    });
    await later;
    expect(await entries('guard.after')).toBe(2);
  });
});
