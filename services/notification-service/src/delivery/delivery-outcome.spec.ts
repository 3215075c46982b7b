import request from 'supertest';
import { countAfterSettling, ToxiproxyServer } from '@shop/test-kit';
import { INTERNAL, NotificationAppFixture, startTestBed, TestBed } from '../app.test-helpers';

const LEASE_MS = 12_000;
/** Longer than the driver's server selection timeout (5 s), so the write after the send fails for sure. */
const OUTAGE_MS = 6_000;

/**
 * MongoDB goes away between the SMTP send and the write of `sent`: the service reaches its
 * database through a Toxiproxy proxy, which the test cuts the moment the inbox accepts the mail.
 * If that write were lost, the notification would stay queued and be sent again once the claim's
 * lease ran out.
 */
describe('MongoDB lost right after an email went out', () => {
  let bed: TestBed;
  let toxiproxy: ToxiproxyServer;
  let service: NotificationAppFixture;

  beforeAll(async () => {
    bed = await startTestBed('notif_outcome_outage');
    ({ service, toxiproxy } = await bed.startBehindMongoProxy({
      // The sweeper runs every second, so a notification left queued would be sent again soon after the lease.
      // A lease this short needs a watchdog that reopens within half of it (the config refuses less).
      env: { NOTIFY_CLAIM_LEASE_MS: String(LEASE_MS), MONGO_REOPEN_AFTER_MS: String(LEASE_MS / 2), REQUEUE_INTERVAL_MS: '1000' },
    }));
  }, 120_000);

  afterAll(async () => {
    await bed?.close();
  });

  it('still records it as sent once MongoDB is back, and sends it only once', async () => {
    const ann = await bed.users.register();
    let cut = false;
    bed.smtp.onMessage(async () => {
      if (cut) return;
      cut = true;
      await toxiproxy.setEnabled('mongo', false);
      setTimeout(() => void toxiproxy.setEnabled('mongo', true), OUTAGE_MS);
    });

    const res = await request(service.http)
      .post('/api/notifications')
      .set(INTERNAL)
      .send({ userId: ann.id, title: 'Sent during an outage', description: 'Once.', notificationType: 'email' })
      .expect(202);
    const id = res.body.data.notification.id as string;

    const sent = await service.waitFor(id, (n) => n.status === 'sent', 'the notification recorded as sent');
    expect(sent.attempts).toBe(1);
    expect(cut).toBe(true);
    // Watched past the claim's lease and a sweep: a second send would show by then.
    const mails = await countAfterSettling(() => bed.smtp.messages.filter((m) => m.subject === 'Sent during an outage').length, {
      settleMs: LEASE_MS + 3_000,
    });
    expect(mails).toBe(1);
  }, 90_000);
});
