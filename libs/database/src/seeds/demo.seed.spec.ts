import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../test/support/database';
import { openDatabase } from '../data-source';
import { seedDemo } from './demo.seed';

describe('the demo seed', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase(database.url, 2);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('creates a small DUMG, and a second run changes nothing', async () => {
    const logins = await seedDemo(dataSource);
    const count = async () =>
      (
        await dataSource.query(
          `SELECT (SELECT count(*) FROM app_user) AS users, (SELECT count(*) FROM tutorship) AS tutorships, (SELECT count(*) FROM upp) AS upps`,
        )
      )[0];
    const first = await count();
    expect(first).toEqual({ users: '14', tutorships: '6', upps: '5' });
    await seedDemo(dataSource);
    expect(await count()).toEqual(first);
    expect(logins.map((l) => l.email)).toContain('nadia.bessiere@demo.carnet.fr');
  });
});
