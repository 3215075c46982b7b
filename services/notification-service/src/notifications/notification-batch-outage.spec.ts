import request from 'supertest';
import { countAfterSettling, expectDatabaseUnavailable, ToxiproxyServer } from '@shop/test-kit';
import { INTERNAL, NotificationAppFixture, startTestBed, TestBed, TestUser } from '../app.test-helpers';

const BATCH_SIZE = 100;
/** Well under one batch's insert (about 60 kB), well over anything else the service sends meanwhile. */
const CUT_AFTER_BYTES = 16_000;

/**
 * MongoDB drops the connection while a batch's insert is on the wire. The driver then reports a
 * bulk-write error with no write errors in it; read as "every refusal was a duplicate key", that
 * once answered the whole batch `created` with nothing stored, and the Order service's relay,
 * told so, never sent it again. The batch must be refused instead, so the relay repeats it.
 */
describe('MongoDB lost in the middle of a batch insert', () => {
  let bed: TestBed;
  let toxiproxy: ToxiproxyServer;
  let service: NotificationAppFixture;
  let ann: TestUser;

  beforeAll(async () => {
    bed = await startTestBed('notif_batch_outage');
    ({ service, toxiproxy } = await bed.startBehindMongoProxy());
    ann = await bed.users.register();
  }, 120_000);

  afterAll(async () => {
    await bed?.close();
  });

  const batch = () =>
    Array.from({ length: BATCH_SIZE }, (_, i) => ({
      userId: ann.id,
      title: `Cut batch ${i}`,
      description: `Line ${i} of a batch whose insert is cut. `.repeat(12),
      notificationType: 'email',
      dedupeKey: `cut-batch:${i}`,
    }));
  const send = () => request(service.http).post('/api/notifications/batch').set(INTERNAL).send({ notifications: batch() });

  it('refuses the batch (503), then stores and sends each notification once when it is repeated', async () => {
    await toxiproxy.addToxic('mongo', {
      name: 'cut-mid-insert',
      type: 'limit_data',
      stream: 'upstream',
      attributes: { bytes: CUT_AFTER_BYTES },
    });
    const cut = await send();
    await toxiproxy.reset();

    expectDatabaseUnavailable([cut], 'notification database (MongoDB)');

    // The relay's retry: answered only once the database holds every one of them.
    const retried = await send().expect(200);
    const results = retried.body.data.results as Array<{ status: string; notification: { id: string } }>;
    expect(results.map((r) => r.status).filter((s) => s !== 'created' && s !== 'existing')).toEqual([]);
    for (const { notification } of results) await service.waitFor(notification.id, (n) => n.status === 'sent', 'each notification sent');
    const mails = await countAfterSettling(() => bed.smtp.messages.filter((m) => m.subject?.startsWith('Cut batch ')).length, {
      settleMs: 3_000,
    });
    expect(mails).toBe(BATCH_SIZE);
  }, 90_000);
});
