import { createTestDatabase, TestDatabase } from '../../../test/support/database';
import { createDataSource } from './data-source';
import { PreparedStatements } from './prepared-statements';

describe('prepared statements', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('prepare each text once per connection, up to their limit, then run the others unnamed', async () => {
    const dataSource = createDataSource(database.url, 1); // one connection: every statement lands on it
    await dataSource.initialize();
    try {
      const statements = new PreparedStatements(dataSource, true, 2);
      const texts = ['SELECT $1::int + 1 AS n', 'SELECT $1::int + 2 AS n', 'SELECT $1::int + 3 AS n'];
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(texts.map((text) => statements.query<{ n: number }>(text, [10])));
        expect(answers.map(([row]) => row.n)).toEqual([11, 12, 13]);
      }
      const prepared: { statement: string; calls: string }[] = await dataSource.query(
        `SELECT statement, generic_plans + custom_plans AS calls FROM pg_prepared_statements WHERE name LIKE 'carnet\\_%' ORDER BY statement`,
      );
      expect(prepared).toEqual([
        { statement: texts[0], calls: '3' },
        { statement: texts[1], calls: '3' },
      ]);
    } finally {
      await dataSource.destroy();
    }
  });
});
