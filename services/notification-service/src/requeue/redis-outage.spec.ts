import request from 'supertest';
import { getFreePort } from '@shop/test-kit';
import { INTERNAL, NotificationAppFixture, startTestBed, TestBed } from '../app.test-helpers';

describe('Redis unreachable when a notification is created', () => {
  let bed: TestBed;
  let cut: NotificationAppFixture | undefined;
  let worker: NotificationAppFixture | undefined;

  beforeAll(async () => {
    bed = await startTestBed('notif_tests_redis_down');
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('still accepts and stores it (202), reports Redis down, and a worker delivers it once Redis answers', async () => {
    const ann = await bed.users.register();
    cut = await bed.start({
      env: { REDIS_PORT: String(await getFreePort()), WORKER_ENABLED: 'false' },
    });
    const res = await request(cut.http)
      .post('/api/notifications')
      .set(INTERNAL)
      .send({ userId: ann.id, title: 'Despite Redis', description: 'Stored first.', notificationType: 'email' })
      .expect(202);
    const id = res.body.data.notification.id as string;
    expect((await cut.find(id))?.status).toBe('queued');

    const ready = await request(cut.http).get('/health/ready').expect(503);
    expect(ready.body.data.checks.redis.status).toBe('down');
    expect(ready.body.data.checks.mongodb.status).toBe('up');

    worker = await bed.start({ env: { API_ENABLED: 'false' } });
    await worker.waitFor(id, (n) => n.status === 'sent');
    expect(bed.smtp.messages.filter((m) => m.subject === 'Despite Redis')).toHaveLength(1);
  });
});
