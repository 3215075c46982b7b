import type { CreateNotificationInput } from '@shop/service-client';
import { createDataSource, Store } from '../database';
import { createTestDatabase, TestDatabase } from '../database.test-helpers';

const payload = (n: number): CreateNotificationInput => ({
  userId: `user-${n}`,
  title: 'Order confirmed',
  description: `Order ${n}`,
  notificationType: 'email',
  dedupeKey: `order-confirmed:${n}`,
});

describe('OutboxRepository (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());
  beforeEach(() => db.dataSource.query('TRUNCATE outbox'));

  const enqueue = (n: number) => db.store.outbox.enqueue({ topic: 'notification', dedupeKey: `order-confirmed:${n}`, payload: payload(n) });

  it('keeps one message per dedupe key', async () => {
    await enqueue(1);
    await enqueue(1);
    const [{ count }] = await db.dataSource.query('SELECT count(*)::int AS count FROM outbox');
    expect(count).toBe(1);
    expect(await db.store.outbox.findByDedupeKey('order-confirmed:1')).toMatchObject({
      status: 'pending',
      attempts: 0,
      payload: payload(1),
    });
  });

  it('never lets two concurrent relays claim the same row', async () => {
    const rows = 60;
    for (let n = 0; n < rows; n += 1) await enqueue(n);
    // A second pool stands for a second instance of the service.
    const other = createDataSource(db.config);
    await other.initialize();
    try {
      const relays = [db.store, new Store(other)];
      const claimed: string[][] = [[], []];
      await Promise.all(
        relays.map(async (store, r) => {
          for (;;) {
            const batch = await store.outbox.claimDue(7, 60_000);
            if (batch.length === 0) return;
            claimed[r].push(...batch.map((m) => m.dedupeKey));
          }
        }),
      );
      const all = [...claimed[0], ...claimed[1]];
      expect(new Set(all).size).toBe(all.length);
      expect(all).toHaveLength(rows);
      expect(claimed[0].length).toBeGreaterThan(0);
      expect(claimed[1].length).toBeGreaterThan(0);
    } finally {
      await other.destroy();
    }
  });

  it('hides a claimed row for its lease, counts the attempt, and brings it back when due', async () => {
    await enqueue(1);
    const [message] = await db.store.outbox.claimDue(10, 60_000);
    expect(message).toMatchObject({ topic: 'notification', dedupeKey: 'order-confirmed:1', attempts: 1, payload: payload(1) });
    expect(await db.store.outbox.claimDue(10, 60_000)).toEqual([]);

    await db.store.outbox.reschedule(message, 0, 'Notification service unavailable');
    const [again] = await db.store.outbox.claimDue(10, 60_000);
    expect(again).toMatchObject({ id: message.id, attempts: 2 });
    expect(await db.store.outbox.findByDedupeKey('order-confirmed:1')).toMatchObject({ lastError: 'Notification service unavailable' });

    await db.store.outbox.reschedule(again, 60_000, 'still down');
    expect(await db.store.outbox.claimDue(10, 0)).toEqual([]);
  });

  it('never claims sent or failed messages again', async () => {
    await enqueue(1);
    await enqueue(2);
    const claimed = await db.store.outbox.claimDue(10, 0);
    expect(await db.store.outbox.markSent([claimed.find((m) => m.dedupeKey === 'order-confirmed:1')!])).toBe(1);
    await db.store.outbox.markFailed(
      claimed.find((m) => m.dedupeKey === 'order-confirmed:2')!,
      'refused',
    );
    expect(await db.store.outbox.claimDue(10, 0)).toEqual([]);
    const sent = await db.store.outbox.findByDedupeKey('order-confirmed:1');
    expect(sent?.status).toBe('sent');
    expect(sent?.sentAt).toBeInstanceOf(Date);
    expect(await db.store.outbox.findByDedupeKey('order-confirmed:2')).toMatchObject({ status: 'failed', lastError: 'refused' });
  });

  it('records an outcome only while the claim holds: a relay whose lease ran out changes nothing', async () => {
    await enqueue(1);
    const [stale] = await db.store.outbox.claimDue(10, 0);
    // The lease (0 ms) is over: another relay claims the row and is still delivering it.
    const [current] = await db.store.outbox.claimDue(10, 60_000);
    expect(current).toMatchObject({ id: stale.id, attempts: stale.attempts + 1 });
    expect(await db.store.outbox.markSent([stale])).toBe(0);
    await db.store.outbox.markFailed(stale, 'late refusal');
    await db.store.outbox.reschedule(stale, 0, 'late failure');
    expect(await db.store.outbox.findByDedupeKey('order-confirmed:1')).toMatchObject({ status: 'pending', lastError: null, attempts: 2 });
    expect(await db.store.outbox.claimDue(10, 0)).toEqual([]);
    expect(await db.store.outbox.markSent([current])).toBe(1);
  });

  it('holds back a delayed message until its time, and reports the due backlog', async () => {
    await db.store.outbox.enqueue({ topic: 'stock-release', dedupeKey: 'stock-release:a', payload: { orderId: 'a' }, delayMs: 60_000 });
    await enqueue(1);
    expect(await db.store.outbox.backlog()).toMatchObject({ due: 1 });
    const claimed = await db.store.outbox.claimDue(10, 60_000);
    expect(claimed.map((m) => m.dedupeKey)).toEqual(['order-confirmed:1']);
    await db.store.outbox.markSentByDedupeKey('stock-release:a');
    expect(await db.store.outbox.findByDedupeKey('stock-release:a')).toMatchObject({ status: 'sent', topic: 'stock-release' });
  });
});
