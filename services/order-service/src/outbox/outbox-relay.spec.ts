import { BadGatewayError, ServiceUnavailableError, UpstreamRejectionError } from '@shop/errors';
import { createSilentLogger } from '@shop/observability';
import { waitFor } from '@shop/test-kit';
import { createDataSource, Store } from '../database';
import { createTestDatabase, TestDatabase } from '../database.test-helpers';
import type { ClaimedMessage } from './outbox-message';
import { backoffDelay, byTopic, Deliver, oneByOne, OutboxRelay } from './outbox-relay';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, with at most 20% jitter off', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, 1000, 10_000, top))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    expect(backoffDelay(3, 1000, 10_000, () => 0)).toBe(3200);
  });
});

describe('OutboxRelay (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());
  beforeEach(() => db.dataSource.query('TRUNCATE outbox'));

  const options = { pollIntervalMs: 20, batchSize: 5, initialBackoffMs: 1000, maxBackoffMs: 60_000, leaseMs: 30_000 };
  const relayWith = (deliver: (m: ClaimedMessage) => Promise<void>) => relayBatch(oneByOne(deliver));
  const relayBatch = (deliver: Deliver) => new OutboxRelay(db.store.outbox, deliver, options, createSilentLogger());
  const enqueue = (n: number) =>
    db.store.outbox.enqueue({
      topic: 'notification',
      dedupeKey: `order-confirmed:${n}`,
      payload: {
        userId: 'u1',
        title: 'Order confirmed',
        description: `#${n}`,
        notificationType: 'email',
        dedupeKey: `order-confirmed:${n}`,
      },
    });
  const row = (n: number) => db.store.outbox.findByDedupeKey(`order-confirmed:${n}`);

  it('delivers each due message once, with its dedupe key, and marks it sent', async () => {
    for (let n = 0; n < 12; n += 1) await enqueue(n);
    const delivered: ClaimedMessage[] = [];
    const relay = relayWith(async (m) => {
      delivered.push(m);
    });
    relay.start();
    try {
      await waitFor(async () => (await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'`))[0].n === 12, {
        what: 'all 12 messages sent',
      });
    } finally {
      await relay.stop();
    }
    expect(delivered.map((m) => m.dedupeKey).sort()).toEqual(Array.from({ length: 12 }, (_, n) => `order-confirmed:${n}`).sort());
    expect(new Set(delivered.map((m) => m.id)).size).toBe(12);
  });

  it('with two replicas relaying at once, delivers each message once between them', async () => {
    for (let n = 0; n < 60; n += 1) await enqueue(n);
    // A second connection pool stands for the second replica's.
    const other = createDataSource(db.config);
    await other.initialize();
    const delivered: Array<{ replica: number; id: string }> = [];
    const relays = [db.store, new Store(other)].map(
      (store, replica) =>
        new OutboxRelay(
          store.outbox,
          oneByOne(async (m) => {
            delivered.push({ replica, id: m.id });
          }),
          options,
          createSilentLogger(),
        ),
    );
    relays.forEach((r) => r.start());
    try {
      await waitFor(async () => (await db.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE status = 'sent'`))[0].n === 60, {
        what: 'all 60 messages sent',
      });
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
      await other.destroy();
    }
    expect(delivered).toHaveLength(60);
    expect(new Set(delivered.map((d) => d.id)).size).toBe(60);
  });

  it('keeps a message whose delivery failed, and retries it later with backoff', async () => {
    await enqueue(1);
    const relay = relayWith(async () => {
      throw new ServiceUnavailableError('notification-service', 'The Notification service is unavailable (connection refused)');
    });
    const before = Date.now();
    expect(await relay.runOnce()).toBe(1);
    const failed = await row(1);
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'The Notification service is unavailable (connection refused)',
    });
    // First retry after 0.8–1 s of backoff (initialBackoffMs 1000, jitter).
    expect(failed!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 700);
    expect(await relay.runOnce()).toBe(0);

    await db.dataSource.query(`UPDATE outbox SET next_attempt_at = now()`);
    const recovered = relayWith(async () => undefined);
    expect(await recovered.runOnce()).toBe(1);
    expect(await row(1)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('retries upstream failures but gives up on a message the Notification service refuses', async () => {
    await enqueue(1);
    await enqueue(2);
    const relay = relayWith(async (m) => {
      if (m.dedupeKey.endsWith(':1'))
        throw new UpstreamRejectionError('notification-service', 400, 'VALIDATION_FAILED', 'title is too long');
      throw new BadGatewayError('notification-service');
    });
    expect(await relay.runOnce()).toBe(2);
    expect(await row(1)).toMatchObject({ status: 'failed', lastError: 'title is too long' });
    expect(await row(2)).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('hands each topic its own batch, and records every outcome of a batch', async () => {
    for (let n = 0; n < 3; n += 1) await enqueue(n);
    await db.store.outbox.enqueue({ topic: 'stock-release', dedupeKey: 'stock-release:o1', payload: { orderId: 'o1' } });
    const batches: Record<string, string[][]> = { notification: [], 'stock-release': [] };
    const relay = relayBatch(
      byTopic({
        notification: async (messages) => {
          batches.notification.push(messages.map((m) => m.dedupeKey));
          // One of the batch is refused for good, the others are taken.
          return messages.map((m) =>
            m.dedupeKey.endsWith(':1')
              ? { error: new UpstreamRejectionError('notification-service', 400, 'VALIDATION_FAILED', 'bad') }
              : undefined,
          );
        },
        'stock-release': async (messages) => {
          batches['stock-release'].push(messages.map((m) => m.dedupeKey));
          return messages.map(() => ({ error: new ServiceUnavailableError('product-service', 'The Product service is unavailable') }));
        },
      }),
    );
    expect(await relay.runOnce()).toBe(4);
    expect(batches.notification).toHaveLength(1);
    expect(batches.notification[0].sort()).toEqual(['order-confirmed:0', 'order-confirmed:1', 'order-confirmed:2']);
    expect(batches['stock-release']).toEqual([['stock-release:o1']]);
    expect(await row(0)).toMatchObject({ status: 'sent' });
    expect(await row(1)).toMatchObject({ status: 'failed', lastError: 'bad' });
    expect(await db.store.outbox.findByDedupeKey('stock-release:o1')).toMatchObject({ status: 'pending', attempts: 1 });
  });
});
