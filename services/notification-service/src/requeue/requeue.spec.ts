import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import request from 'supertest';
import { countAfterSettling, waitFor } from '@shop/test-kit';
import { deleteBullKeys, INTERNAL, NotificationAppFixture, queueNotification, startTestBed, TestBed, TestUser } from '../app.test-helpers';
import { claimBucketOf, DeliveryClaim } from '../delivery/delivery-claim.model';
import { DeliveryQueue } from '../queue/delivery.queue';
import { RequeueSweeper } from './requeue.sweeper';

describe('Nothing stored is lost', () => {
  let bed: TestBed;
  let api: NotificationAppFixture;
  let worker: NotificationAppFixture | undefined;
  let ann: TestUser;

  const create = (title: string): Promise<string> => queueNotification(api, ann.id, title);
  const mailCount = (title: string) => bed.smtp.messages.filter((m) => m.subject === title).length;

  beforeAll(async () => {
    bed = await startTestBed('notif_tests_requeue');
    // An API-only process (as the HTTP deployment runs): it stores and enqueues, delivers nothing.
    api = await bed.start({ env: { WORKER_ENABLED: 'false' } });
    ann = await bed.users.register();
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('delivers every queued notification exactly once after Redis lost its jobs, and after a dead worker’s lease', async () => {
    const queue = api.app.get(DeliveryQueue).queue;
    const lost = await Promise.all(['Lost 1', 'Lost 2', 'Lost 3'].map(create));
    expect((await queue.getJobCounts()).waiting).toBe(3);

    // Redis loses its data (this test's prefix only).
    expect(await deleteBullKeys(bed.prefix)).toBeGreaterThan(0);
    expect(await queue.getJob(lost[0])).toBeNull();

    const kept = await Promise.all(['Kept 1', 'Kept 2'].map(create));
    // A worker died while delivering this one: its lease still holds for a while.
    const leased = await create('Leased');
    const claims = api.app.get<Model<DeliveryClaim>>(getModelToken(DeliveryClaim.name));
    await claims.create({
      _id: `${leased}:1`,
      notificationId: leased,
      generation: 1,
      token: 'dead-worker',
      expiresAt: new Date(Date.now() + 60 * 60_000),
      bucket: claimBucketOf(new Date()),
    });

    // A worker-only process starts: its first sweep re-queues the lost ones, leaves live jobs alone.
    worker = await bed.start({ env: { API_ENABLED: 'false' } });
    await Promise.all([...lost, ...kept].map((id) => worker!.waitFor(id, (n) => n.status === 'sent')));
    // One claim each (kept as a tombstone): no notification was attempted twice.
    expect(await claims.countDocuments({ notificationId: { $in: [...lost, ...kept] } })).toBe(5);
    // Watched longer than the retries' backoff (50 ms, doubling, 3 attempts): a late duplicate would show.
    for (const title of ['Lost 1', 'Lost 2', 'Lost 3', 'Kept 1', 'Kept 2'])
      expect({ title, mails: await countAfterSettling(() => mailCount(title), { settleMs: 300 }) }).toEqual({ title, mails: 1 });

    // The leased one's job ran while the lease held: skipped, so it is still queued with a finished job.
    await waitFor(async () => (await (await queue.getJob(leased))?.getState()) === 'completed', { what: 'the leased job to be skipped' });
    expect((await worker.find(leased))?.status).toBe('queued');
    expect(mailCount('Leased')).toBe(0);

    // Once the lease has expired, the next sweep replaces the finished job and it is delivered.
    await claims.updateOne({ _id: `${leased}:1` }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const sweeper = worker.app.get(RequeueSweeper);
    expect(await sweeper.sweep()).toBe(1);
    await worker.waitFor(leased, (n) => n.status === 'sent');
    expect(await countAfterSettling(() => mailCount('Leased'), { settleMs: 1_500 })).toBe(1);

    // Nothing is left to re-queue, and no notification was sent twice.
    expect(await sweeper.sweep()).toBe(0);
    expect(bed.smtp.messages).toHaveLength(6);
  });

  it('serves only health and metrics from a worker-only process', async () => {
    await request(worker!.http).get('/api/notifications').set(INTERNAL).expect(404);
    await request(worker!.http).get('/admin/queues').set(INTERNAL).expect(404);
    await request(worker!.http).get('/health').expect(200);
    expect((await request(worker!.http).get('/metrics').expect(200)).text).toContain('notification_queue_jobs');
  });
});
