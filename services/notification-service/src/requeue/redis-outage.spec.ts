import request from 'supertest';
import { createTestMongoDatabase, getFreePort, SmtpInbox, startSmtpInbox, TestMongoDatabase } from '@shop/test-kit';
import {
  bullPrefix,
  deleteBullKeys,
  NotificationAppFixture,
  startNotificationApp,
  startUserService,
  TEST_INTERNAL_KEY,
  UserServiceFixture,
} from '../app.test-helpers';

describe('Redis unreachable when a notification is created', () => {
  let users: UserServiceFixture;
  let smtp: SmtpInbox;
  let mongo: TestMongoDatabase;
  let prefix: string;
  let cut: NotificationAppFixture | undefined;
  let worker: NotificationAppFixture | undefined;

  beforeAll(async () => {
    users = await startUserService();
    smtp = await startSmtpInbox();
    mongo = createTestMongoDatabase('notif_tests_redis_down');
    prefix = bullPrefix();
  });

  afterAll(async () => {
    await worker?.close();
    await cut?.close();
    await Promise.all([smtp?.close(), users?.stop(), mongo?.drop(), prefix ? deleteBullKeys(prefix) : undefined]);
  });

  it('still accepts and stores it (202), reports Redis down, and a worker delivers it once Redis answers', async () => {
    const ann = await users.register();
    cut = await startNotificationApp({
      userServiceUrl: users.url,
      mongo,
      bullPrefix: prefix,
      smtp,
      env: { REDIS_PORT: String(await getFreePort()), WORKER_ENABLED: 'false' },
    });
    const res = await request(cut.http)
      .post('/api/notifications')
      .set({ 'X-Internal-Key': TEST_INTERNAL_KEY })
      .send({ userId: ann.id, title: 'Despite Redis', description: 'Stored first.', notificationType: 'email' })
      .expect(202);
    const id = res.body.data.notification.id as string;
    expect((await cut.find(id))?.status).toBe('queued');

    const ready = await request(cut.http).get('/health/ready').expect(503);
    expect(ready.body.data.checks.redis.status).toBe('down');
    expect(ready.body.data.checks.mongodb.status).toBe('up');

    worker = await startNotificationApp({ userServiceUrl: users.url, mongo, bullPrefix: prefix, smtp, env: { API_ENABLED: 'false' } });
    await worker.waitFor(id, (n) => n.status === 'sent');
    expect(smtp.messages.filter((m) => m.subject === 'Despite Redis')).toHaveLength(1);
  });
});
