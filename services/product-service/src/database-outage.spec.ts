import request from 'supertest';
import { createTestPostgresDatabase, expectDatabaseUnavailable, startTcpProxy, TcpProxy, TestPostgresDatabase } from '@shop/test-kit';
import { INTERNAL, startTestApp, TestApp } from './app.test-helpers';

/**
 * PostgreSQL gone while the service runs: this app reaches its own test database through a
 * proxy of the test's, which is then cut (the shared server itself is never touched).
 */
describe('when PostgreSQL is unreachable', () => {
  let db: TestPostgresDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestPostgresDatabase('product_outage');
    proxy = await startTcpProxy({ host: db.host, port: db.port });
    t = await startTestApp({ DB_HOST: '127.0.0.1', DB_PORT: String(proxy.port) }, db);
    await request(t.http).get('/api/products').expect(200);
    await proxy.cut();
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await db?.drop();
  });

  it('answers 503 DATABASE_UNAVAILABLE naming the product database, with Retry-After, not 500', async () => {
    const responses = [
      await request(t.http).get('/api/products'),
      await request(t.http).get('/api/categories'),
      await request(t.http).post('/api/categories').set(INTERNAL).send({ name: 'During the outage' }),
    ];
    expectDatabaseUnavailable(responses, 'product database (PostgreSQL)');
  });

  it('reports not ready, while still alive', async () => {
    expect((await request(t.http).get('/health/ready')).status).toBe(503);
    expect((await request(t.http).get('/health')).status).toBe(200);
  });
});
