import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { createTestMongoDatabase, TestMongoDatabase, waitFor } from '@shop/test-kit';
import {
  bullPrefix,
  deleteBullKeys,
  NotificationAppFixture,
  startNotificationApp,
  startUserService,
  TestUser,
  UserServiceFixture,
} from '../app.test-helpers';
import { NotificationRepository } from '../notifications/notification.repository';
import { DELIVER_JOB, DeliveryQueue } from '../queue/delivery.queue';
import { DeliveryClaim } from './delivery-claim.model';
import { DeliveryResult } from './delivery.service';
import { NotificationTransport, OutgoingNotification } from './notification-transport';

/** A push provider whose every send waits until the test lets it finish. */
class GatedPushTransport implements NotificationTransport {
  readonly channel = 'push' as const;
  readonly calls: Array<{ notification: OutgoingNotification; finish: () => void }> = [];

  send(_recipient: unknown, notification: OutgoingNotification): Promise<void> {
    return new Promise((resolve) => this.calls.push({ notification, finish: resolve }));
  }
}

const LEASE_MS = 3_000;

describe('Delivery claims are fenced: an attempt that outlived its lease writes nothing', () => {
  let users: UserServiceFixture;
  let mongo: TestMongoDatabase;
  let prefix: string;
  let service: NotificationAppFixture;
  let push: GatedPushTransport;
  let ann: TestUser;

  beforeAll(async () => {
    users = await startUserService();
    mongo = createTestMongoDatabase('notif_tests_fencing');
    prefix = bullPrefix();
    push = new GatedPushTransport();
    service = await startNotificationApp({
      userServiceUrl: users.url,
      mongo,
      bullPrefix: prefix,
      // A lease this short needs a watchdog that reopens within half of it (the config refuses less).
      env: { NOTIFY_CLAIM_LEASE_MS: String(LEASE_MS), MONGO_REOPEN_AFTER_MS: String(LEASE_MS / 2) },
      transports: { push },
    });
    ann = await users.register();
  });

  afterAll(async () => {
    for (const call of push?.calls ?? []) call.finish();
    await service?.close();
    await Promise.all([users?.stop(), mongo?.drop(), prefix ? deleteBullKeys(prefix) : undefined]);
  });

  it('keeps the second holder’s claim and outcome when the first, slow attempt finishes late', async () => {
    const stored = await service.app.get(NotificationRepository).insertUnlessDuplicate({
      userId: ann.id,
      title: 'Slow provider',
      description: 'The first send outlives its lease.',
      notificationType: 'push',
    });
    const id = stored!._id.toHexString();
    const claims = service.app.get<Model<DeliveryClaim>>(getModelToken(DeliveryClaim.name));
    const queue = service.app.get(DeliveryQueue).queue;

    const first = await queue.add(DELIVER_JOB, { notificationId: id }, { jobId: `${id}-first` });
    await waitFor(() => push.calls.length === 1, { what: 'the first attempt to reach the provider' });
    await waitFor(
      async () => {
        const claim = await claims.findOne({ notificationId: id, generation: 1 }).lean().exec();
        return claim !== null && claim.expiresAt.getTime() < Date.now();
      },
      { timeoutMs: LEASE_MS + 5_000, what: 'the first claim to expire' },
    );

    // Another job (a stalled job taken over, a re-queue) takes the next claim and is sending too.
    const second = await queue.add(DELIVER_JOB, { notificationId: id }, { jobId: `${id}-second` });
    await waitFor(() => push.calls.length === 2, { what: 'the second attempt to reach the provider' });

    push.calls[0].finish();
    expect(await first.finished()).toEqual({ outcome: 'fenced' });
    // The late attempt wrote no outcome and left the live claim alone.
    const afterFirst = await service.find(id);
    expect([afterFirst?.status, afterFirst?.attempts]).toEqual(['queued', 0]);
    const live = await claims.find({ notificationId: id }).lean().exec();
    expect(live.map((c) => c.generation)).toContain(2);

    push.calls[1].finish();
    expect((await second.finished()) as DeliveryResult).toEqual({ outcome: 'sent' });
    const sent = await service.find(id);
    expect([sent?.status, sent?.attempts]).toEqual(['sent', 1]);
  });

  it('records `sent` for a send that outlived its lease when no other attempt claimed since, and sends it once', async () => {
    const stored = await service.app.get(NotificationRepository).insertUnlessDuplicate({
      userId: ann.id,
      title: 'Slow but alone',
      description: 'The only attempt outlives its lease.',
      notificationType: 'push',
    });
    const id = stored!._id.toHexString();
    const claims = service.app.get<Model<DeliveryClaim>>(getModelToken(DeliveryClaim.name));
    const queue = service.app.get(DeliveryQueue).queue;
    const calls = push.calls.length;

    const job = await queue.add(DELIVER_JOB, { notificationId: id }, { jobId: `${id}-alone` });
    await waitFor(() => push.calls.length === calls + 1, { what: 'the attempt to reach the provider' });
    await waitFor(
      async () => {
        const claim = await claims.findOne({ notificationId: id }).lean().exec();
        return claim !== null && claim.expiresAt.getTime() < Date.now();
      },
      { timeoutMs: LEASE_MS + 5_000, what: 'the claim to expire' },
    );
    push.calls[calls].finish();

    expect(await job.finished()).toEqual({ outcome: 'sent' });
    const sent = await service.find(id);
    expect([sent?.status, sent?.attempts]).toEqual(['sent', 1]);
    // A later job (the re-queue sweep's, a duplicate) finds it sent and sends nothing.
    const late = await queue.add(DELIVER_JOB, { notificationId: id }, { jobId: `${id}-late` });
    expect(await late.finished()).toEqual({ outcome: 'skipped' });
    expect(push.calls).toHaveLength(calls + 1);
  });
});
