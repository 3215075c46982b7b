import { waitFor } from '@shop/test-kit';
import { NotificationAppFixture, queueNotification, startTestBed, TestBed, TestUser } from '../app.test-helpers';
import { DeliveryQueue } from '../queue/delivery.queue';
import { NotificationTransport, OutgoingNotification } from './notification-transport';

/** A push provider whose every send waits until the test lets it finish. */
class GatedPushTransport implements NotificationTransport {
  readonly channel = 'push' as const;
  readonly calls: Array<{ notification: OutgoingNotification; finish: () => void }> = [];

  send(_recipient: unknown, notification: OutgoingNotification): Promise<void> {
    return new Promise((resolve) => this.calls.push({ notification, finish: resolve }));
  }
}

describe('The delivery processor', () => {
  let bed: TestBed;
  let api: NotificationAppFixture;
  let ann: TestUser;
  const apiPush = new GatedPushTransport();
  const workerPush = new GatedPushTransport();

  beforeAll(async () => {
    bed = await startTestBed('notif_tests_processor');
    api = await bed.start({ env: { WORKER_ENABLED: 'false' }, transports: { push: apiPush } });
    ann = await bed.users.register();
  });

  afterAll(async () => {
    for (const call of [...apiPush.calls, ...workerPush.calls]) call.finish();
    await bed?.close();
  });

  it('runs only in a worker process, at most NOTIFY_CONCURRENCY attempts at once', async () => {
    const ids: string[] = [];
    for (const title of ['First', 'Second', 'Third']) {
      ids.push(await queueNotification(api, ann.id, title, { notificationType: 'push' }));
    }
    const queue = api.app.get(DeliveryQueue).queue;
    // The API process stored and queued them, and took none.
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 3, active: 0 });

    const worker = await bed.start({ env: { API_ENABLED: 'false', NOTIFY_CONCURRENCY: '2' }, transports: { push: workerPush } });
    await waitFor(() => workerPush.calls.length >= 2, { what: 'two attempts at the provider' });
    // Both slots are held by sends that have not finished: the third job waits for one.
    expect(await queue.getJobCounts()).toMatchObject({ waiting: 1, active: 2 });
    expect(workerPush.calls).toHaveLength(2);

    for (const call of workerPush.calls) call.finish();
    await waitFor(() => workerPush.calls.length === 3, { what: 'the third attempt' });
    workerPush.calls[2].finish();
    await Promise.all(ids.map((id) => worker.waitFor(id, (n) => n.status === 'sent')));
    expect(apiPush.calls).toHaveLength(0);
    expect(workerPush.calls.map((c) => c.notification.id).sort()).toEqual([...ids].sort());
  });
});
