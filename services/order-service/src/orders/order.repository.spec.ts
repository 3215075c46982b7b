import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '../database.test-helpers';
import type { OrderClaim } from './order.repository';

describe('OrderRepository (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  const claim = (overrides: Partial<OrderClaim> = {}): OrderClaim => ({
    id: randomUUID(),
    userId: `user-${randomUUID()}`,
    idempotencyKey: null,
    requestHash: 'a'.repeat(64),
    shippingAddress: null,
    ...overrides,
  });
  const item = (productId: string, unitPrice: string, quantity: number, lineTotal: string) => ({
    productId,
    productName: `Product ${productId.slice(0, 4)}`,
    unitPrice,
    quantity,
    lineTotal,
  });

  it('lets exactly one of many concurrent claims of one Idempotency-Key win', async () => {
    const userId = 'user-racing';
    const results = await Promise.all(Array.from({ length: 8 }, () => db.store.orders.claim(claim({ userId, idempotencyKey: 'key-1' }))));
    expect(results.filter(Boolean)).toHaveLength(1);
    // The same key of another user, and orders without a key, are independent.
    expect(await db.store.orders.claim(claim({ userId: 'someone-else', idempotencyKey: 'key-1' }))).toBe(true);
    expect(await db.store.orders.claim(claim({ userId }))).toBe(true);
    expect(await db.store.orders.claim(claim({ userId }))).toBe(true);
  });

  it('stores items and an exact numeric(12,2) total for a pending order only', async () => {
    const order = claim({ shippingAddress: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' } });
    await db.store.orders.claim(order);
    const [p1, p2] = [randomUUID(), randomUUID()].sort();
    const written = await db.store.transaction((repos) =>
      repos.orders.addItems(order.id, [item(p1, '999.99', 2, '1999.98'), item(p2, '29.99', 3, '89.97')], '2089.95'),
    );
    expect(written).toBe(true);
    const stored = await db.store.orders.findById(order.id);
    expect(stored).toMatchObject({ status: 'pending', totalAmount: '2089.95', shippingAddress: { city: 'Springfield' } });
    expect(stored?.items?.map((i) => [i.productId, i.unitPrice, i.quantity, i.lineTotal])).toEqual([
      [p1, '999.99', 2, '1999.98'],
      [p2, '29.99', 3, '89.97'],
    ]);

    expect(await db.store.orders.setStatus(order.id, 'pending', 'confirmed')).toBe(true);
    const again = await db.store.transaction((repos) => repos.orders.addItems(order.id, [item(randomUUID(), '1.00', 1, '1.00')], '1.00'));
    expect(again).toBe(false);
    expect((await db.store.orders.findById(order.id))?.items).toHaveLength(2);
  });

  it('changes a status only from the expected one', async () => {
    const order = claim();
    await db.store.orders.claim(order);
    expect(await db.store.orders.setStatus(order.id, 'confirmed', 'shipped')).toBe(false);
    expect(await db.store.orders.setStatus(order.id, 'pending', 'cancelled')).toBe(true);
    expect(await db.store.orders.setStatus(order.id, 'pending', 'cancelled')).toBe(false);
  });

  it('deletes an order (and its items) only while it is pending', async () => {
    const pending = claim();
    await db.store.orders.claim(pending);
    await db.store.transaction((repos) => repos.orders.addItems(pending.id, [item(randomUUID(), '5.00', 1, '5.00')], '5.00'));
    expect(await db.store.orders.deletePending(pending.id)).toBe(true);
    expect(await db.store.orders.findById(pending.id)).toBeNull();
    const [{ count }] = await db.dataSource.query('SELECT count(*)::int AS count FROM order_items WHERE order_id = $1', [pending.id]);
    expect(count).toBe(0);

    const confirmed = claim();
    await db.store.orders.claim(confirmed);
    await db.store.orders.setStatus(confirmed.id, 'pending', 'confirmed');
    expect(await db.store.orders.deletePending(confirmed.id)).toBe(false);
    expect(await db.store.orders.findById(confirmed.id)).not.toBeNull();
  });

  it('pages a user’s orders newest first, each with its items', async () => {
    const userId = `user-${randomUUID()}`;
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1) {
      const order = claim({ userId });
      ids.push(order.id);
      await db.store.orders.claim(order);
      await db.store.transaction((repos) =>
        repos.orders.addItems(order.id, [item(randomUUID(), '1.50', n + 1, `${(1.5 * (n + 1)).toFixed(2)}`)], '1.50'),
      );
    }
    await db.store.orders.claim(claim()); // someone else's

    const first = await db.store.orders.listByUser(userId, { page: 1, limit: 2 });
    const last = await db.store.orders.listByUser(userId, { page: 3, limit: 2 });
    expect(first.total).toBe(5);
    expect(first.orders.map((o) => o.id)).toEqual([ids[4], ids[3]]);
    expect(last.orders.map((o) => o.id)).toEqual([ids[0]]);
    expect(first.orders[0].items?.map((i) => i.quantity)).toEqual([5]);
    expect(last.orders[0].items?.map((i) => i.quantity)).toEqual([1]);
    expect((await db.store.orders.listByUser('nobody', { page: 1, limit: 10 })).orders).toEqual([]);
  });
});
