import { Server } from 'node:http';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DEVELOPMENT_INTERNAL_API_KEY } from '@shop/config';
import { createSilentLogger, Metrics } from '@shop/observability';
import { createTestPostgresDatabase, TestPostgresDatabase } from '@shop/test-kit';
import { createApp } from './app';
import { loadProductServiceConfig, ProductServiceConfig } from './config';

export const INTERNAL = { 'X-Internal-Key': DEVELOPMENT_INTERNAL_API_KEY };

export interface TestApp {
  app: INestApplication;
  http: Server;
  dataSource: DataSource;
  config: ProductServiceConfig;
  db: TestPostgresDatabase;
  /** Closes the app (and the database, when this app created it). */
  close(): Promise<void>;
}

/**
 * The real app on a fresh PostgreSQL database of its own (migrations applied by the app itself),
 * listening on a free port. Pass `db` to start a second app on an existing test database.
 * No User service answers at USER_SERVICE_URL unless `env` names one.
 */
export async function startTestApp(env: Record<string, string> = {}, existing?: TestPostgresDatabase): Promise<TestApp> {
  const db = existing ?? (await createTestPostgresDatabase('product'));
  try {
    const config = loadProductServiceConfig({
      envFile: false,
      env: {
        NODE_ENV: 'test',
        DB_HOST: db.host,
        DB_PORT: String(db.port),
        DB_USERNAME: db.user,
        DB_PASSWORD: db.password,
        DB_NAME: db.name,
        USER_SERVICE_URL: 'http://127.0.0.1:9',
        ...env,
      },
    });
    const app = await createApp({
      config,
      logger: createSilentLogger(),
      metrics: new Metrics('product-service', { defaultMetrics: false }),
    });
    await app.listen(0, '127.0.0.1');
    return {
      app,
      http: app.getHttpServer(),
      dataSource: app.get(DataSource),
      config,
      db,
      async close() {
        await app.close();
        if (!existing) await db.drop();
      },
    };
  } catch (err) {
    if (!existing) await db.drop();
    throw err;
  }
}

/** Creates a category over HTTP (with the internal key) and returns its id. */
export async function createCategory(http: Server, name: string): Promise<string> {
  const res = await request(http).post('/api/categories').set(INTERNAL).send({ name }).expect(201);
  return res.body.data.category.id;
}

export interface ProductInput {
  name: string;
  price: number;
  categoryId: string;
  stock?: number;
  description?: string;
  tags?: string[];
  isActive?: boolean;
}

/** Creates a product over HTTP (with the internal key) and returns it as the API did. */
export async function createProduct(http: Server, input: ProductInput) {
  const res = await request(http).post('/api/products').set(INTERNAL).send(input).expect(201);
  return res.body.data.product as { id: string; name: string; price: number; stock: number; [key: string]: unknown };
}

/** The stock as stored, read straight from the database. */
export async function storedStock(dataSource: DataSource, productId: string): Promise<number> {
  const rows: Array<{ stock: number }> = await dataSource.query('SELECT stock FROM products WHERE id = $1', [productId]);
  return rows[0].stock;
}
