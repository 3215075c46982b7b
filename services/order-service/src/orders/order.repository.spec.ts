import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '../database.test-helpers';
import type { NewOutboxMessage } from '../outbox/outbox-message';
import type { NewOrderItem, OrderClaim } from './order.ports';

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
  const item = (productId: string, unitPrice: string, quantity: number, lineTotal: string): NewOrderItem => ({
    id: randomUUID(),
    productId,
    productName: `Product ${productId.slice(0, 4)}`,
    unitPrice,
    quantity,
    lineTotal,
  });
  const announcement = (orderId: string): NewOutboxMessage => ({
    topic: 'notification',
    dedupeKey: `order-confirmed:${orderId}`,
    payload: {
      userId: 'u',
      title: 'Order confirmed',
      description: orderId,
      notificationType: 'email',
      dedupeKey: `order-confirmed:${orderId}`,
    },
  });
  const quantities = async (user: string) => Object.fromEntries((await db.store.cart.list(user)).map((i) => [i.productId, i.quantity]));
  const confirm = (orderId: string, items: NewOrderItem[], total: string) =>
    db.store.orders.confirmWithItems(orderId, items, total, announcement(orderId));
  const placed = async (overrides: Partial<OrderClaim> = {}, quantity = 1) => {
    const order = claim(overrides);
    await db.store.orders.claim(order);
    await confirm(order.id, [item(randomUUID(), '1.50', quantity, (1.5 * quantity).toFixed(2))], (1.5 * quantity).toFixed(2));
    return order;
  };
  const age = (id: string, ms: number) =>
    db.dataSource.query(`UPDATE orders SET created_at = now() - make_interval(secs => $2::double precision / 1000) WHERE id = $1`, [
      id,
      ms,
    ]);

  it('lets exactly one of many concurrent claims of one Idempotency-Key win', async () => {
    const userId = 'user-racing';
    const results = await Promise.all(Array.from({ length: 8 }, () => db.store.orders.claim(claim({ userId, idempotencyKey: 'key-1' }))));
    expect(results.filter(Boolean)).toHaveLength(1);
    // The same key of another user, and orders without a key, are independent.
    expect(await db.store.orders.claim(claim({ userId: 'someone-else', idempotencyKey: 'key-1' }))).toBe(true);
    expect(await db.store.orders.claim(claim({ userId }))).toBe(true);
    expect(await db.store.orders.claim(claim({ userId }))).toBe(true);
  });

  it('confirms a pending order with its items, exact total and announcement in one statement, and only a pending one', async () => {
    const order = claim({ shippingAddress: { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' } });
    await db.store.orders.claim(order);
    const [p1, p2] = [randomUUID(), randomUUID()].sort();
    const times = await confirm(order.id, [item(p1, '999.99', 2, '1999.98'), item(p2, '29.99', 3, '89.97')], '2089.95');
    expect(times).toMatchObject({ createdAt: expect.any(Date) });
    const stored = await db.store.orders.findById(order.id);
    expect(stored).toMatchObject({ status: 'confirmed', totalAmount: '2089.95', shippingAddress: { city: 'Springfield' } });
    expect(stored?.items?.map((i) => [i.productId, i.unitPrice, i.quantity, i.lineTotal])).toEqual([
      [p1, '999.99', 2, '1999.98'],
      [p2, '29.99', 3, '89.97'],
    ]);
    expect(await db.store.outbox.findByDedupeKey(`order-confirmed:${order.id}`)).toMatchObject({
      status: 'pending',
      topic: 'notification',
    });

    expect(await confirm(order.id, [item(randomUUID(), '1.00', 1, '1.00')], '1.00')).toBeNull();
    expect((await db.store.orders.findById(order.id))?.items).toHaveLength(2);

    const abandoned = claim();
    await db.store.orders.claim(abandoned);
    await db.store.orders.setStatus(abandoned.id, 'pending', 'abandoned');
    expect(await confirm(abandoned.id, [item(randomUUID(), '1.00', 1, '1.00')], '1.00')).toBeNull();
    expect(await db.store.outbox.findByDedupeKey(`order-confirmed:${abandoned.id}`)).toBeNull();
  });

  it('confirming a checkout removes its cart lines as they were ordered, keeping other lines and other carts; a confirm that writes nothing removes nothing', async () => {
    const order = claim();
    const userId = order.userId;
    const other = `user-${randomUUID()}`;
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    await db.store.cart.add(userId, a, 1, 100);
    await db.store.cart.add(userId, b, 2, 100);
    await db.store.cart.add(other, a, 1, 100);
    const ordered = [
      { productId: a, quantity: 1 },
      { productId: b, quantity: 2 },
    ];
    await db.store.cart.add(userId, c, 1, 100); // another tab, during checkout
    await db.store.orders.claim(order);
    const items = [item(a, '1.00', 1, '1.00'), item(b, '1.00', 2, '2.00')];
    expect(await db.store.orders.confirmWithItems(order.id, items, '3.00', announcement(order.id), ordered)).toMatchObject({
      createdAt: expect.any(Date),
    });
    expect(await quantities(userId)).toEqual({ [c]: 1 });
    expect(await quantities(other)).toEqual({ [a]: 1 });

    await db.store.cart.add(userId, a, 1, 100);
    await db.store.cart.add(userId, b, 2, 100);
    expect(await db.store.orders.confirmWithItems(order.id, items, '3.00', announcement(order.id), ordered)).toBeNull();
    expect(await quantities(userId)).toEqual({ [a]: 1, [b]: 2, [c]: 1 });
  });

  it('confirms a checkout only while its lines are in the cart as read: a line changed meanwhile writes nothing', async () => {
    const order = claim();
    const [a, b] = [randomUUID(), randomUUID()];
    await db.store.cart.add(order.userId, a, 1, 100);
    await db.store.cart.add(order.userId, b, 2, 100);
    await db.store.orders.claim(order);
    await db.store.cart.add(order.userId, b, 1, 100); // another tab: b is now 3
    const ordered = [
      { productId: a, quantity: 1 },
      { productId: b, quantity: 2 },
    ];
    const items = [item(a, '1.00', 1, '1.00'), item(b, '1.00', 2, '2.00')];

    expect(await db.store.orders.confirmWithItems(order.id, items, '3.00', announcement(order.id), ordered)).toBe('cart-changed');
    expect((await db.store.orders.findById(order.id))?.status).toBe('pending');
    expect(await db.store.outbox.findByDedupeKey(`order-confirmed:${order.id}`)).toBeNull();
    expect(await quantities(order.userId)).toEqual({ [a]: 1, [b]: 3 });
  });

  it('of two checkouts of one cart confirming at once, one places the order and the other finds the cart changed', async () => {
    for (let round = 0; round < 10; round += 1) {
      const first = claim();
      const second = { ...claim(), userId: first.userId };
      const [a, b] = [randomUUID(), randomUUID()];
      await db.store.cart.add(first.userId, a, 1, 100);
      await db.store.cart.add(first.userId, b, 2, 100);
      await db.store.orders.claim(first);
      await db.store.orders.claim(second);
      const ordered = [
        { productId: b, quantity: 2 },
        { productId: a, quantity: 1 },
      ];
      const items = [item(a, '1.00', 1, '1.00'), item(b, '1.00', 2, '2.00')];
      const outcomes = await Promise.all(
        [first, second].map((o, i) =>
          db.store.orders.confirmWithItems(o.id, items, '3.00', announcement(o.id), i === 0 ? ordered : [...ordered].reverse()),
        ),
      );
      expect([round, outcomes.filter((o) => o === 'cart-changed').length]).toEqual([round, 1]);
      expect([round, outcomes.filter((o) => typeof o === 'object' && o !== null).length]).toEqual([round, 1]);
      expect(await quantities(first.userId)).toEqual({});
    }
  });

  it('stores the largest valid order exactly (1e9 a unit, 100 units, 50 lines)', async () => {
    const order = claim();
    await db.store.orders.claim(order);
    const items = Array.from({ length: 50 }, () => item(randomUUID(), '1000000000.00', 100, '100000000000.00'));
    expect(await confirm(order.id, items, '5000000000000.00')).not.toBeNull();
    expect((await db.store.orders.findById(order.id))?.totalAmount).toBe('5000000000000.00');
  });

  it('changes a status only from the expected one', async () => {
    const order = claim();
    await db.store.orders.claim(order);
    expect(await db.store.orders.setStatus(order.id, 'confirmed', 'shipped')).toBe(false);
    expect(await db.store.orders.setStatus(order.id, 'pending', 'cancelled')).toBe(true);
    expect(await db.store.orders.setStatus(order.id, 'pending', 'cancelled')).toBe(false);
  });

  it('removes a pending order only while pending, an abandoned one only while abandoned (with its items)', async () => {
    const pending = claim();
    await db.store.orders.claim(pending);
    expect(await db.store.orders.deleteAbandoned(pending.id)).toBe(false);
    expect(await db.store.orders.deletePending(pending.id)).toBe(true);
    expect(await db.store.orders.findById(pending.id)).toBeNull();

    const confirmed = await placed();
    expect(await db.store.orders.deletePending(confirmed.id)).toBe(false);
    expect(await db.store.orders.setStatus(confirmed.id, 'confirmed', 'abandoned')).toBe(true);
    expect(await db.store.orders.deleteAbandoned(confirmed.id)).toBe(true);
    const [{ count }] = await db.dataSource.query('SELECT count(*)::int AS count FROM order_items WHERE order_id = $1', [confirmed.id]);
    expect(count).toBe(0);
  });

  it('gives up only pending orders older than the bound, each once even with two sweepers at once', async () => {
    const old = [claim(), claim(), claim()];
    for (const o of old) {
      await db.store.orders.claim(o);
      await age(o.id, 120_000);
    }
    const young = claim();
    await db.store.orders.claim(young);
    const oldConfirmed = await placed();
    await age(oldConfirmed.id, 120_000);

    const [a, b] = await Promise.all([db.store.orders.abandonStale(60_000, 100), db.store.orders.abandonStale(60_000, 100)]);
    expect([...a, ...b].sort()).toEqual(old.map((o) => o.id).sort());
    const statuses = await db.store.orders.statusesOf([...old.map((o) => o.id), young.id, oldConfirmed.id]);
    expect([...statuses.values()].sort()).toEqual(['abandoned', 'abandoned', 'abandoned', 'confirmed', 'pending']);
  });

  it('pages a user’s orders newest first with their items and the total, leaving abandoned ones out', async () => {
    const userId = `user-${randomUUID()}`;
    const ids: string[] = [];
    for (let n = 0; n < 5; n += 1) ids.push((await placed({ userId }, n + 1)).id);
    const gone = claim({ userId });
    await db.store.orders.claim(gone);
    await db.store.orders.setStatus(gone.id, 'pending', 'abandoned');
    await db.store.orders.claim(claim()); // someone else's

    const first = await db.store.orders.listByUser(userId, { limit: 2 });
    const last = await db.store.orders.listByUser(userId, { offset: 4, limit: 2 });
    const beyond = await db.store.orders.listByUser(userId, { offset: 16, limit: 2 });
    expect([first.total, last.total, beyond.total]).toEqual([5, 5, 5]);
    expect(first.orders.map((o) => o.id)).toEqual([ids[4], ids[3]]);
    expect(last.orders.map((o) => o.id)).toEqual([ids[0]]);
    expect(beyond.orders).toEqual([]);
    // Keyset: after the first page's last order comes the second page; the last page says none follows.
    const second = await db.store.orders.listByUser(userId, { limit: 2, after: first.next });
    expect(second.orders.map((o) => o.id)).toEqual([ids[2], ids[1]]);
    expect(second.total).toBe(5);
    expect(last.next).toBeUndefined();
    expect(first.orders[0].items?.map((i) => i.quantity)).toEqual([5]);
    expect(last.orders[0].items?.map((i) => i.quantity)).toEqual([1]);
    expect((await db.store.orders.listByUser('nobody', { limit: 10 })).orders).toEqual([]);
  });

  it('pages the orders the reconciliation judges by their last change, with a keyset cursor', async () => {
    // A span of their own, in the past, that no other test's orders fall in.
    const from = new Date('2001-01-01T00:00:00Z');
    const ids: string[] = [];
    for (let n = 0; n < 4; n += 1) {
      const id = (await placed()).id;
      await db.dataSource.query(`UPDATE orders SET updated_at = $2::timestamptz + make_interval(secs => $3) WHERE id = $1`, [id, from, n]);
      ids.push(id);
    }
    // Cancelled orders are judged too (their stock must not stay held); pending ones are the sweeper's.
    await db.dataSource.query(`UPDATE orders SET status = 'cancelled' WHERE id = $1`, [ids[3]]);
    const pending = claim();
    await db.store.orders.claim(pending);
    await db.dataSource.query(`UPDATE orders SET updated_at = $2 WHERE id = $1`, [pending.id, from]);
    const to = new Date('2001-01-02T00:00:00Z');
    const first = await db.store.orders.listChanged(from, to, 2);
    const rest = await db.store.orders.listChanged(from, to, 2, first.next);
    expect([...first.orders, ...rest.orders].map((o) => o.id)).toEqual(ids);
    expect(first.orders[0].items).toHaveLength(1);
    expect((await db.store.orders.listChanged(from, new Date('2001-01-01T00:00:02Z'), 10)).orders.map((o) => o.id)).toEqual(
      ids.slice(0, 2),
    );
  });

  it('lets one holder at a time claim a reconciliation pass, and moves its settled point only forward', async () => {
    const start = new Date('2001-01-01T00:00:00Z');
    const first = await db.store.orders.claimPass('test-pass', start, 60_000);
    expect(first?.settledUntil).toEqual(start);
    expect(await db.store.orders.claimPass('test-pass', new Date(), 60_000)).toBeNull();
    expect(await db.store.orders.endPass('test-pass', first!, new Date('2001-01-02T00:00:00Z'))).toBe(true);
    // A claim that is no longer held writes nothing.
    expect(await db.store.orders.endPass('test-pass', first!, new Date('2001-01-03T00:00:00Z'))).toBe(false);
    const second = await db.store.orders.claimPass('test-pass', start, 60_000);
    expect(second?.settledUntil).toEqual(new Date('2001-01-02T00:00:00Z'));
    expect(await db.store.orders.endPass('test-pass', second!, new Date('2001-01-01T12:00:00Z'))).toBe(true);
    // A lease that ran out lets another holder in.
    const third = await db.store.orders.claimPass('test-pass', start, 0);
    expect(third?.settledUntil).toEqual(new Date('2001-01-02T00:00:00Z'));
    expect(await db.store.orders.claimPass('test-pass', start, 60_000)).not.toBeNull();
  });
});
