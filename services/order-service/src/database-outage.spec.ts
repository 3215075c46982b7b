import request from 'supertest';
import type { Express } from 'express';
import { createSilentLogger, Metrics } from '@shop/observability';
import {
  expectDatabaseUnavailable,
  getFreePort,
  startTcpProxy,
  startUserService,
  TcpProxy,
  TestUser,
  UserServiceFixture,
} from '@shop/test-kit';
import { createApp } from './app';
import { closeServiceClients, createServiceClients, ServiceClients } from './clients';
import { connectAndMigrate, createDataSource } from './database';
import { createTestDatabase, TestDatabase } from './database.test-helpers';

const INTERNAL_KEY = 'order-outage-tests-internal-key';

/**
 * PostgreSQL gone while the service runs: this app reaches its own test database through a
 * proxy of the test's, which is then cut (the shared server itself is never touched). Tokens
 * are checked by the real User service, which stays up.
 */
describe('when PostgreSQL is unreachable', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let users: UserServiceFixture;
  let clients: ServiceClients;
  let app: Express;
  let customer: TestUser;
  const proxied = () => createDataSource({ ...db.config, DB_HOST: '127.0.0.1', DB_PORT: proxy.port });
  let dataSource: ReturnType<typeof proxied>;

  beforeAll(async () => {
    users = await startUserService({ internalKey: INTERNAL_KEY, prefix: 'order_outage_users' });
    db = await createTestDatabase({ INTERNAL_API_KEY: INTERNAL_KEY, USER_SERVICE_URL: users.url });
    proxy = await startTcpProxy({ host: db.database.host, port: db.database.port });
    dataSource = proxied();
    await connectAndMigrate(dataSource);
    const nobody = `http://127.0.0.1:${await getFreePort()}`;
    const config = { ...db.config, PRODUCT_SERVICE_URL: nobody, NOTIFICATION_SERVICE_URL: nobody };
    const logger = createSilentLogger();
    const metrics = new Metrics('order-service', { defaultMetrics: false });
    clients = createServiceClients(config, logger, metrics);
    app = createApp({ config, logger, metrics, dataSource, clients });
    customer = await users.register();
    await request(app).get('/api/orders').set('Authorization', `Bearer ${customer.token}`).expect(200);
    await proxy.cut();
  }, 60_000);
  afterAll(async () => {
    if (clients) closeServiceClients(clients);
    await dataSource?.destroy().catch(() => undefined);
    await proxy?.close();
    await db?.close();
    await users?.stop();
  });

  it('answers 503 DATABASE_UNAVAILABLE naming the order database, with Retry-After, not 500', async () => {
    const auth = { Authorization: `Bearer ${customer.token}` };
    const responses = [await request(app).get('/api/orders').set(auth), await request(app).get('/api/cart').set(auth)];
    expectDatabaseUnavailable(responses, 'order database (PostgreSQL)');
  });
});
