import { createTestPostgresDatabase, TestPostgresDatabase } from '@shop/test-kit';
import type { DataSource } from 'typeorm';
import { loadOrderServiceConfig, OrderServiceConfig } from './config';
import { connectAndMigrate, createDataSource, Store } from './database';

export interface TestDatabase {
  config: OrderServiceConfig;
  database: TestPostgresDatabase;
  dataSource: DataSource;
  store: Store;
  /** Closes the pool and drops the database. */
  close(): Promise<void>;
}

/** A fresh, migrated order database of its own (real PostgreSQL), and the config pointing at it. */
export async function createTestDatabase(env: Record<string, string> = {}): Promise<TestDatabase> {
  const database = await createTestPostgresDatabase('order');
  const config = loadOrderServiceConfig({
    envFile: false,
    env: {
      NODE_ENV: 'test',
      DB_HOST: database.host,
      DB_PORT: String(database.port),
      DB_USERNAME: database.user,
      DB_PASSWORD: database.password,
      DB_NAME: database.name,
      DB_POOL_SIZE: '10',
      ...env,
    },
  });
  const dataSource = createDataSource(config);
  await connectAndMigrate(dataSource);
  return {
    config,
    database,
    dataSource,
    store: new Store(dataSource),
    async close() {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
