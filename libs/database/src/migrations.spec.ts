import { createTestDatabase, TestDatabase } from '../../../test/support/database';
import { createDataSource, migrate, revertLastMigration } from './data-source';
import { migrations } from './migrations';

describe('migrations on a real PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  const tables = async (url: string) => {
    const dataSource = createDataSource(url, 2);
    await dataSource.initialize();
    try {
      const rows: { table_name: string }[] = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations' ORDER BY 1`,
      );
      return rows.map((row) => row.table_name);
    } finally {
      await dataSource.destroy();
    }
  };

  it('go up, all the way down, and up again to the same schema', async () => {
    const dataSource = createDataSource(database.url, 2);
    await dataSource.initialize();
    try {
      await migrate(dataSource);
      const up = await tables(database.url);
      expect(up).toContain('audit_log');

      for (let i = 0; i < migrations.length; i++) await revertLastMigration(dataSource);
      expect(await tables(database.url)).toEqual([]);

      await migrate(dataSource);
      expect(await tables(database.url)).toEqual(up);
      expect(await dataSource.showMigrations()).toBe(false); // nothing left pending
    } finally {
      await dataSource.destroy();
    }
  });

  it('compress what an autosave rewrites with LZ4, the server having it', async () => {
    const dataSource = createDataSource(database.url, 2);
    await dataSource.initialize();
    try {
      await migrate(dataSource);
      const rows: { attname: string; attcompression: string }[] = await dataSource.query(
        `SELECT attname, attcompression FROM pg_attribute WHERE attrelid = 'trace'::regclass AND attname IN ('content', 'content_text', 'search', 'title') ORDER BY attname`,
      );
      // 'l': LZ4; '': the server's default (pglz), kept for the short columns.
      expect(rows).toEqual([
        { attname: 'content', attcompression: 'l' },
        { attname: 'content_text', attcompression: 'l' },
        { attname: 'search', attcompression: 'l' },
        { attname: 'title', attcompression: '' },
      ]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('run once when two processes migrate at the same time', async () => {
    const fresh = await createTestDatabase();
    const [a, b] = [createDataSource(fresh.url, 2), createDataSource(fresh.url, 2)];
    await Promise.all([a.initialize(), b.initialize()]);
    try {
      await Promise.all([migrate(a), migrate(b)]);
      const applied: unknown[] = await a.query('SELECT name FROM typeorm_migrations');
      expect(applied).toHaveLength(migrations.length);
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
      await fresh.drop();
    }
  });

  it('keep the audit log append-only', async () => {
    const dataSource = createDataSource(database.url, 2);
    await dataSource.initialize();
    try {
      await dataSource.query(`INSERT INTO audit_log (action) VALUES ('test.entry')`);
      await expect(dataSource.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(/append-only/);
      await expect(dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    } finally {
      await dataSource.destroy();
    }
  });
});
