import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { createTestPostgresDatabase, TestPostgresDatabase } from '@shop/test-kit';
import { migrateExclusively } from './index';

/** Slow on purpose, and not idempotent: two instances running it at once would collide. */
class CreateWidgets1700000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE widgets (id int PRIMARY KEY)');
    await runner.query('SELECT pg_sleep(0.3)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE widgets');
  }
}

describe('migrateExclusively', () => {
  let db: TestPostgresDatabase;
  const sources: DataSource[] = [];
  const instance = () => {
    const source = new DataSource({
      type: 'postgres',
      host: db.host,
      port: db.port,
      username: db.user,
      password: db.password,
      database: db.name,
      migrations: [CreateWidgets1700000000000],
    });
    sources.push(source);
    return source;
  };

  beforeAll(async () => {
    db = await createTestPostgresDatabase('migrations');
  });
  afterAll(async () => {
    await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
    await db.drop();
  });

  it('lets instances starting together take turns: the migration runs once and neither fails', async () => {
    const results = await Promise.all([
      migrateExclusively(instance(), 'test'),
      migrateExclusively(instance(), 'test'),
      migrateExclusively(instance(), 'test'),
    ]);
    expect(results.map((r) => r.length).sort()).toEqual([0, 0, 1]);
    const [{ count }] = await sources[0].query(`SELECT count(*)::int AS count FROM migrations WHERE name = 'CreateWidgets1700000000000'`);
    expect(count).toBe(1);
  });
});
