import request from 'supertest';
import {
  createTestMongoDatabase,
  expectDatabaseUnavailable,
  getFreePort,
  startTcpProxy,
  TcpProxy,
  TestMongoDatabase,
  testMongoBaseUri,
} from '@shop/test-kit';
import { bullPrefix, deleteBullKeys, NotificationAppFixture, startNotificationApp, TEST_INTERNAL_KEY } from './app.test-helpers';

const INTERNAL = { 'X-Internal-Key': TEST_INTERNAL_KEY };

/**
 * MongoDB gone while the service runs: this app reaches its own test database through a proxy
 * of the test's, which is then cut (the shared server itself is never touched).
 */
describe('when MongoDB is unreachable', () => {
  let mongo: TestMongoDatabase;
  let proxy: TcpProxy;
  let prefix: string;
  let service: NotificationAppFixture;

  beforeAll(async () => {
    mongo = createTestMongoDatabase('notif_outage');
    const server = new URL(testMongoBaseUri);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 27017) });
    prefix = bullPrefix();
    service = await startNotificationApp({
      userServiceUrl: `http://127.0.0.1:${await getFreePort()}`,
      mongo: { ...mongo, uri: `mongodb://127.0.0.1:${proxy.port}/${mongo.name}` },
      bullPrefix: prefix,
      env: { WORKER_ENABLED: 'false' },
    });
    await request(service.http).get('/api/notifications').set(INTERNAL).expect(200);
    await proxy.cut();
  });
  afterAll(async () => {
    await service?.close();
    await proxy?.close();
    await Promise.all([mongo?.drop(), prefix ? deleteBullKeys(prefix) : undefined]);
  });

  it('answers 503 DATABASE_UNAVAILABLE naming the notification database, with Retry-After, not 500', async () => {
    const responses = [
      await request(service.http).get('/api/notifications').set(INTERNAL),
      await request(service.http)
        .post('/api/notifications')
        .set(INTERNAL)
        .send({ userId: 'u1', title: 'During the outage', description: 'Not stored', notificationType: 'email' }),
    ];
    expectDatabaseUnavailable(responses, 'notification database (MongoDB)');
  }, 60_000);
});
