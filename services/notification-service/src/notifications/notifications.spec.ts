import request from 'supertest';
import { countAfterSettling } from '@shop/test-kit';
import { INTERNAL, NotificationAppFixture, startTestBed, TEST_INTERNAL_KEY, TestBed, TestUser } from '../app.test-helpers';

const bearer = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

describe('Notification API', () => {
  let bed: TestBed;
  let service: NotificationAppFixture;
  let ann: TestUser;
  let bob: TestUser;
  let admin: TestUser;

  const create = (body: Record<string, unknown>, headers: Record<string, string> = INTERNAL) =>
    request(service.http).post('/api/notifications').set(headers).send(body);
  const emailFor = (user: TestUser, title: string, extra: Record<string, unknown> = {}) => ({
    userId: user.id,
    title,
    description: `Body of ${title}`,
    notificationType: 'email',
    ...extra,
  });
  const storedCount = async () =>
    (await request(service.http).get('/api/notifications').set(INTERNAL).expect(200)).body.data.pagination.total as number;

  beforeAll(async () => {
    bed = await startTestBed('notif_tests_api');
    service = await bed.start();
    [ann, bob, admin] = await Promise.all([bed.users.register(), bed.users.register(), bed.users.loginAdmin()]);
  });

  afterAll(async () => {
    await bed?.close();
  });

  describe('POST /api/notifications', () => {
    it('stores, queues and answers 202 with the notification (internal key)', async () => {
      const res = await create(emailFor(ann, 'Welcome', { metadata: { source: 'signup', tags: ['a', 'b'] } })).expect(202);
      expect(res.body.success).toBe(true);
      const notification = res.body.data.notification;
      expect(notification).toMatchObject({
        userId: ann.id,
        title: 'Welcome',
        description: 'Body of Welcome',
        notificationType: 'email',
        metadata: { source: 'signup', tags: ['a', 'b'] },
        attempts: 0,
        lastError: null,
        sentAt: null,
        readAt: null,
      });
      expect(['queued', 'sent']).toContain(notification.status);
      expect(notification.id).toMatch(/^[0-9a-f]{24}$/);
      expect(notification).not.toHaveProperty('claimUntil');
      expect(notification).not.toHaveProperty('_id');
      await service.waitFor(notification.id, (n) => n.status === 'sent', 'the welcome email to be sent');
    });

    it('accepts an admin token; refuses a customer token (403) and no or a wrong key (401)', async () => {
      await create(emailFor(ann, 'From admin'), bearer(admin)).expect(202);

      const asCustomer = await create(emailFor(ann, 'From customer'), bearer(ann)).expect(403);
      expect(asCustomer.body).toMatchObject({ success: false, code: 'ADMIN_REQUIRED' });
      expect(typeof asCustomer.body.requestId).toBe('string');

      const anonymous = await create(emailFor(ann, 'Anonymous'), {}).expect(401);
      expect(anonymous.body).toMatchObject({ success: false, code: 'TOKEN_REQUIRED' });
      await create(emailFor(ann, 'Wrong key'), { 'X-Internal-Key': 'not-the-key' }).expect(401);
      await create(emailFor(ann, 'Bad token'), { Authorization: 'Bearer not-a-token' }).expect(401);

      const titles = (
        await request(service.http).get('/api/notifications').query({ limit: 100 }).set(INTERNAL)
      ).body.data.notifications.map((n: { title: string }) => n.title);
      expect(titles).toContain('From admin');
      expect(titles).not.toEqual(expect.arrayContaining(['From customer']));
    });

    it.each([
      ['an unknown type', { notificationType: 'fax' }, 'body.notificationType'],
      ['a missing title', { title: undefined }, 'body.title'],
      ['an empty title', { title: '' }, 'body.title'],
      ['a title of 201 characters', { title: 'x'.repeat(201) }, 'body.title'],
      ['a title with a line break (header injection)', { title: 'Hi\r\nBcc: victim@example.com' }, 'body.title'],
      ['a description of 5001 characters', { description: 'x'.repeat(5001) }, 'body.description'],
      ['an operator instead of a userId', { userId: { $gt: '' } }, 'body.userId'],
      ['an extra key', { status: 'sent' }, 'body.status'],
      ['metadata that is an array', { metadata: [1, 2] }, 'body.metadata'],
      ['metadata with an operator key', { metadata: { $where: 'sleep(1000)' } }, 'body.metadata'],
      ['metadata that is too large', { metadata: { blob: 'x'.repeat(3000) } }, 'body.metadata'],
      ['metadata with an array inside an array', { metadata: { grid: [[1, 2], [3]] } }, 'body.metadata'],
      ['metadata with a NUL in a key', { metadata: { 'a\u0000b': 1 } }, 'body.metadata.a\u0000b'],
      ['a null dedupeKey', { dedupeKey: null }, 'body.dedupeKey'],
      ['an empty dedupeKey', { dedupeKey: '' }, 'body.dedupeKey'],
    ])('refuses %s with 400 and stores nothing', async (_case, change, path) => {
      const before = await storedCount();
      const res = await create({ ...emailFor(ann, 'Invalid'), ...change }).expect(400);
      expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
      expect(await storedCount()).toBe(before);
    });

    // The old title pattern backtracked quadratically: this body held the event loop for about 7 s.
    // The bound below is a thousand times what a linear check needs, not a measurement.
    it('refuses a title of 99,000 characters at once, without blocking the process', async () => {
      const res = await create({ ...emailFor(ann, 'Long'), title: 'x'.repeat(99_000) + '\n' }).expect(400);
      expect(res.body.details.map((d: { path: string }) => d.path)).toContain('body.title');
    }, 3_000);

    it('refuses malformed JSON with 400', async () => {
      const res = await request(service.http)
        .post('/api/notifications')
        .set(INTERNAL)
        .set('Content-Type', 'application/json')
        .send('{"userId":');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ success: false, code: 'MALFORMED_JSON' });
    });

    it('returns the first notification for a repeated dedupeKey (200) and sends once', async () => {
      const body = emailFor(ann, 'Order 1001 confirmed', { dedupeKey: 'order-confirmation:1001' });
      const first = await create(body).expect(202);
      const repeat = await create(body).expect(200);
      expect(repeat.body.data.notification.id).toBe(first.body.data.notification.id);
      expect(repeat.body.data.notification.dedupeKey).toBe('order-confirmation:1001');

      await service.waitFor(first.body.data.notification.id, (n) => n.status === 'sent');
      // Longer than the retries with their backoff (50 ms, doubling, 3 attempts): a duplicate would show.
      const mails = () => bed.smtp.messages.filter((m) => m.subject === 'Order 1001 confirmed').length;
      expect(await countAfterSettling(mails, { settleMs: 1_500 })).toBe(1);
    });

    it('makes 5 concurrent repeats of a dedupeKey one notification and one mail', async () => {
      const body = emailFor(bob, 'Order 2002 shipped', { dedupeKey: 'order-shipped:2002' });
      const responses = await Promise.all(Array.from({ length: 5 }, () => create(body)));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 202]);
      const ids = new Set(responses.map((r) => r.body.data.notification.id));
      expect(ids.size).toBe(1);
      const [id] = [...ids];

      await service.waitFor(id, (n) => n.status === 'sent');
      const stored = await request(service.http).get('/api/notifications').query({ userId: bob.id }).set(INTERNAL).expect(200);
      expect(stored.body.data.notifications.filter((n: { title: string }) => n.title === 'Order 2002 shipped')).toHaveLength(1);
      const mails = () => bed.smtp.messages.filter((m) => m.subject === 'Order 2002 shipped').length;
      expect(await countAfterSettling(mails, { settleMs: 1_500 })).toBe(1);
    });

    it('refuses a dedupeKey reused for another recipient (409)', async () => {
      await create(emailFor(ann, 'Coupon', { dedupeKey: 'coupon:77' })).expect(202);
      const res = await create(emailFor(bob, 'Coupon', { dedupeKey: 'coupon:77' })).expect(409);
      expect(res.body).toMatchObject({ success: false, code: 'DEDUPE_KEY_REUSED' });
    });
  });

  describe('POST /api/notifications/batch', () => {
    const batch = (notifications: object[], headers: Record<string, string> = INTERNAL) =>
      request(service.http).post('/api/notifications/batch').set(headers).send({ notifications });

    it('stores and queues many at once, one result each in order; repeats and a reused key are answered alone', async () => {
      await create(emailFor(ann, 'Batch taken', { dedupeKey: 'batch:taken' })).expect(202);
      const res = await batch([
        emailFor(ann, 'Batch 1', { dedupeKey: 'batch:1' }),
        emailFor(bob, 'Batch 2', { dedupeKey: 'batch:2' }),
        emailFor(ann, 'Batch 1', { dedupeKey: 'batch:1' }),
        emailFor(bob, 'Batch taken', { dedupeKey: 'batch:taken' }),
      ]).expect(200);
      const results = res.body.data.results as Array<{ status: string; code?: string; notification?: { id: string; dedupeKey: string } }>;
      expect(results.map((r) => r.status)).toEqual(['created', 'created', 'existing', 'rejected']);
      expect(results[2].notification?.id).toBe(results[0].notification?.id);
      expect(results[3].code).toBe('DEDUPE_KEY_REUSED');
      await Promise.all([0, 1].map((i) => service.waitFor(results[i].notification!.id, (n) => n.status === 'sent')));

      // The same batch again (a relay's retry) sends nothing new.
      const again = await batch([
        emailFor(ann, 'Batch 1', { dedupeKey: 'batch:1' }),
        emailFor(bob, 'Batch 2', { dedupeKey: 'batch:2' }),
      ]).expect(200);
      expect(again.body.data.results.map((r: { status: string }) => r.status)).toEqual(['existing', 'existing']);
      for (const subject of ['Batch 1', 'Batch 2']) expect(bed.smtp.messages.filter((m) => m.subject === subject)).toHaveLength(1);
    });

    it('is internal only, and needs a dedupeKey on each notification', async () => {
      await batch([emailFor(ann, 'No key')]).expect(400);
      await batch([]).expect(400);
      await batch([emailFor(ann, 'Bearer', { dedupeKey: 'batch:bearer' })], bearer(admin)).expect(401);
    });
  });

  describe('reading', () => {
    let annEmail: string;
    let annSms: string;
    let bobPush: string;

    beforeAll(async () => {
      annEmail = (await create(emailFor(ann, 'Ann email')).expect(202)).body.data.notification.id;
      annSms = (await create({ ...emailFor(ann, 'Ann sms'), notificationType: 'sms' }).expect(202)).body.data.notification.id;
      bobPush = (await create({ ...emailFor(bob, 'Bob push'), notificationType: 'push' }).expect(202)).body.data.notification.id;
      // Ann has no phone: her SMS fails; the others are sent.
      await Promise.all([
        service.waitFor(annEmail, (n) => n.status === 'sent'),
        service.waitFor(annSms, (n) => n.status === 'failed'),
        service.waitFor(bobPush, (n) => n.status === 'sent'),
      ]);
    });

    it('GET /me lists only the caller’s notifications, newest first, with pagination', async () => {
      const res = await request(service.http).get('/api/notifications/me').set(bearer(bob)).expect(200);
      const notifications = res.body.data.notifications as Array<{ userId: string; createdAt: string }>;
      expect(notifications.length).toBeGreaterThan(0);
      expect(notifications.every((n) => n.userId === bob.id)).toBe(true);
      expect(notifications.map((n) => n.createdAt)).toEqual([...notifications.map((n) => n.createdAt)].sort().reverse());
      expect(res.body.data.pagination).toEqual({ page: 1, limit: 20, total: notifications.length, totalPages: 1 });
    });

    it('GET /me filters by type and status, and pages', async () => {
      const sms = await request(service.http).get('/api/notifications/me').query({ type: 'sms' }).set(bearer(ann)).expect(200);
      expect(sms.body.data.notifications.map((n: { id: string }) => n.id)).toEqual([annSms]);

      const failed = await request(service.http).get('/api/notifications/me').query({ status: 'failed' }).set(bearer(ann)).expect(200);
      expect(failed.body.data.notifications.map((n: { id: string }) => n.id)).toEqual([annSms]);

      const all = await request(service.http).get('/api/notifications/me').set(bearer(ann)).expect(200);
      const total = all.body.data.pagination.total as number;
      const page2 = await request(service.http).get('/api/notifications/me').query({ page: 2, limit: 1 }).set(bearer(ann)).expect(200);
      expect(page2.body.data.pagination).toEqual({ page: 2, limit: 1, total, totalPages: total });
      expect(page2.body.data.notifications[0].id).toBe(all.body.data.notifications[1].id);
    });

    it('caps limit at 100 and refuses a bad page, limit, type or status with 400', async () => {
      const capped = await request(service.http).get('/api/notifications/me').query({ limit: 1000 }).set(bearer(ann)).expect(200);
      expect(capped.body.data.pagination.limit).toBe(100);
      for (const query of [
        { page: 0 },
        { page: 'abc' },
        { page: '9.6e306' },
        { page: 100_001 },
        { limit: 0 },
        { limit: 'x' },
        { type: 'fax' },
        { status: 'lost' },
        { extra: 1 },
      ]) {
        const res = await request(service.http).get('/api/notifications/me').query(query).set(bearer(ann));
        expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
      }
    });

    it('GET /me needs a bearer token', async () => {
      await request(service.http).get('/api/notifications/me').expect(401);
      await request(service.http).get('/api/notifications/me').set(INTERNAL).expect(401);
    });

    it('GET / (internal or admin) filters by userId; a customer gets 403', async () => {
      for (const headers of [INTERNAL, bearer(admin)]) {
        const res = await request(service.http).get('/api/notifications').query({ userId: bob.id, type: 'push' }).set(headers).expect(200);
        expect(res.body.data.notifications.map((n: { id: string }) => n.id)).toEqual([bobPush]);
      }
      await request(service.http).get('/api/notifications').set(bearer(ann)).expect(403);
      await request(service.http)
        .get('/api/notifications')
        .query({ userId: { $ne: '' } })
        .set(INTERNAL)
        .expect(400);
    });

    it('GET /:id: the owner, an admin and other services see it; another user gets 404', async () => {
      for (const headers of [bearer(ann), bearer(admin), INTERNAL]) {
        const res = await request(service.http).get(`/api/notifications/${annEmail}`).set(headers).expect(200);
        expect(res.body.data.notification).toMatchObject({ id: annEmail, userId: ann.id, status: 'sent', attempts: 1 });
      }
      const other = await request(service.http).get(`/api/notifications/${annEmail}`).set(bearer(bob)).expect(404);
      expect(other.body).toMatchObject({ success: false, code: 'NOTIFICATION_NOT_FOUND' });
      await request(service.http).get(`/api/notifications/${annEmail}`).expect(401);
    });

    it('GET /:id: an unknown id is 404 and a malformed id 400, never 500', async () => {
      await request(service.http).get('/api/notifications/0123456789abcdef01234567').set(INTERNAL).expect(404);
      const malformed = await request(service.http).get('/api/notifications/not-an-id').set(INTERNAL).expect(400);
      expect(malformed.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
      expect(malformed.body.details[0].message).toMatch(/notification id/);
    });

    it('PATCH /:id/read: the owner marks it read once; anyone else gets 404', async () => {
      await request(service.http).patch(`/api/notifications/${bobPush}/read`).set(bearer(ann)).expect(404);
      await request(service.http).patch(`/api/notifications/${bobPush}/read`).set(bearer(admin)).expect(404);
      await request(service.http).patch(`/api/notifications/${bobPush}/read`).set(INTERNAL).expect(401);
      const unread = await request(service.http).get(`/api/notifications/${bobPush}`).set(bearer(bob)).expect(200);
      expect(unread.body.data.notification.readAt).toBeNull();

      const first = await request(service.http).patch(`/api/notifications/${bobPush}/read`).set(bearer(bob)).expect(200);
      const readAt = first.body.data.notification.readAt as string;
      expect(Date.parse(readAt)).not.toBeNaN();
      const again = await request(service.http).patch(`/api/notifications/${bobPush}/read`).set(bearer(bob)).expect(200);
      expect(again.body.data.notification.readAt).toBe(readAt);
      const listed = await request(service.http).get('/api/notifications/me').query({ type: 'push' }).set(bearer(bob)).expect(200);
      expect(listed.body.data.notifications.find((n: { id: string }) => n.id === bobPush).readAt).toBe(readAt);
      expect(again.body.data.notification.status).toBe('sent');

      await request(service.http).patch('/api/notifications/0123456789abcdef01234567/read').set(bearer(bob)).expect(404);
      await request(service.http).patch('/api/notifications/nope/read').set(bearer(bob)).expect(400);
    });
  });

  describe('operations', () => {
    it('serves the queue dashboard to operators only (Basic auth with the internal key, the key, an admin)', async () => {
      const anonymous = await request(service.http).get('/admin/queues').expect(401);
      expect(anonymous.headers['www-authenticate']).toBe('Basic realm="queues"');
      expect(anonymous.body).toMatchObject({ success: false, code: 'OPERATOR_AUTH_REQUIRED' });

      const wrong = await request(service.http).get('/admin/queues').auth('ops', 'wrong-password').expect(401);
      expect(wrong.headers['www-authenticate']).toBe('Basic realm="queues"');
      await request(service.http).get('/admin/queues').set(bearer(ann)).expect(403);

      const page = await request(service.http).get('/admin/queues').auth('ops', TEST_INTERNAL_KEY).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const api = await request(service.http).get('/admin/queues/api/queues').set(INTERNAL).expect(200);
      expect(api.body.queues.map((q: { name: string }) => q.name)).toContain(service.config.NOTIFICATION_QUEUE);
      await request(service.http).get('/admin/queues/api/queues').set(bearer(admin)).expect(200);
    });

    it('refuses dashboard changes another site triggers with the browser’s Basic credentials', async () => {
      const res = await request(service.http)
        .put(`/admin/queues/api/queues/${service.config.NOTIFICATION_QUEUE}/pause`)
        .auth('ops', TEST_INTERNAL_KEY)
        .set('Origin', 'https://evil.example')
        .expect(403);
      expect(res.body.code).toBe('CROSS_SITE_REQUEST');
    });

    it('exposes the queue depth and delivery outcomes on /metrics', async () => {
      const res = await request(service.http).get('/metrics').expect(200);
      expect(res.text).toMatch(/notification_queue_jobs\{state="waiting"[^}]*\} \d+/);
      expect(res.text).toMatch(/notification_queue_jobs\{state="completed"[^}]*\} [1-9]\d*/);
      expect(res.text).toMatch(/notification_deliveries_total\{channel="email",outcome="sent"[^}]*\} [1-9]\d*/);
      expect(res.text).toMatch(/notification_deliveries_total\{channel="sms",outcome="failed"[^}]*\} [1-9]\d*/);
    });

    it('reports liveness and each dependency’s readiness', async () => {
      await request(service.http).get('/health').expect(200);
      const ready = await request(service.http).get('/health/ready').expect(200);
      expect(Object.keys(ready.body.data.checks).sort()).toEqual(['mongodb', 'redis', 'user-service']);
      expect(ready.body.data.status).toBe('ready');
    });

    it('documents every route, both auth schemes and the error envelope at /api-docs', async () => {
      const doc = (await request(service.http).get('/api-docs-json').expect(200)).body;
      expect(Object.keys(doc.paths).sort()).toEqual([
        '/api/notifications',
        '/api/notifications/batch',
        '/api/notifications/me',
        '/api/notifications/{id}',
        '/api/notifications/{id}/read',
        '/api/notifications/{id}/retry',
        '/health',
        '/health/ready',
        '/metrics',
      ]);
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'internal-key']);
      expect(doc.paths['/api/notifications'].post.responses).toHaveProperty('202');
      expect(doc.paths['/api/notifications'].post.responses).toHaveProperty('400');
      expect(doc.components.schemas.CreateNotificationDto.required).toEqual(
        expect.arrayContaining(['userId', 'title', 'description', 'notificationType']),
      );
      expect(doc.components.schemas).toHaveProperty('ErrorEnvelope');
      const ui = await request(service.http).get('/api-docs/').expect(200);
      expect(ui.text).toContain('swagger');
    });

    it('answers unknown routes with the error envelope', async () => {
      const res = await request(service.http).get('/api/nothing-here').expect(404);
      expect(res.body).toMatchObject({ success: false, code: 'ROUTE_NOT_FOUND' });
    });
  });
});
