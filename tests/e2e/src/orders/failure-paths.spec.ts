import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { testPostgres, waitFor } from '@shop/test-kit';
import { RegisteredUser, Stack, useStack } from '../harness/stack';
import { orderRowsOf, placeOrder } from './order-helpers';

/** A session of the test's own on a service's database, to hold locks and end other sessions. */
async function sessionOn(stack: Stack, database: 'order' | 'product'): Promise<Client> {
  const [{ name }] = await stack.query<{ name: string }>(database, 'SELECT current_database() AS name');
  const client = new Client({ ...testPostgres, database: name });
  await client.connect();
  return client;
}

/**
 * The backend of a service's statement that waits for a lock and whose text matches one of
 * `patterns` (pg_stat_activity keeps a statement's first 1024 bytes).
 */
function waitingBackend(session: Client, patterns: string[]): Promise<number> {
  return waitFor(
    async () => {
      // Inside a transaction (the test's lock), pg_stat_activity would keep showing its first read.
      await session.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await session.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type IN ('Lock', 'LWLock')
            AND query ILIKE ANY($1)`,
        [patterns],
      );
      return rows[0]?.pid;
    },
    { timeoutMs: 20_000, what: `a statement matching ${patterns.join(' or ')} waiting for the test's lock` },
  );
}

/** Failures in the middle of a checkout or a placement: never a 500, never half-done. */
describe('orders: failure paths', () => {
  // A cancel runs while a placement waits on the Product service: that call must outlast it.
  const stack = useStack({ env: { order: { SERVICE_TIMEOUT_MS: '15000', STALE_ORDER_AFTER_MS: '600000', OUTBOX_LEASE_MS: '60000' } } });

  const cart = () => stack.api('order');
  const add = (user: RegisteredUser, productId: string, quantity: number) =>
    cart().post('/api/cart/items', { productId, quantity }, { headers: user.auth });
  const cartOf = async (user: RegisteredUser) =>
    Object.fromEntries(
      ((await cart().get('/api/cart', { headers: user.auth })).data.data.cart.items as Array<{ productId: string; quantity: number }>).map(
        (i) => [i.productId, i.quantity],
      ),
    );
  const confirmedOrders = async (user: RegisteredUser) => (await orderRowsOf(stack, user.id)).filter((o) => o.status === 'confirmed');

  it('a checkout whose database connection ends as it removes the cart lines: the order and an empty cart, or nothing and the cart kept; a retry places one order', async () => {
    const user = await stack.registerUser();
    const product = await stack.createProduct({ price: 5, stock: 10 });
    await add(user, product.id, 2);

    const session = await sessionOn(stack, 'order');
    let answer;
    try {
      // The test holds the cart's rows: whatever statement removes them waits, and its connection is ended there.
      await session.query('BEGIN');
      await session.query('SELECT 1 FROM cart_items WHERE user_id = $1 FOR UPDATE', [user.id]);
      const checkout = cart().post('/api/cart/checkout', {}, { headers: user.auth });
      const pid = await waitingBackend(session, ['%DELETE FROM cart_items%', "%UPDATE orders SET status = 'confirmed'%"]);
      await session.query('SELECT pg_terminate_backend($1)', [pid]);
      await session.query('ROLLBACK');
      answer = await checkout;
    } finally {
      await session.end();
    }

    if (answer.status === 201) {
      expect((await confirmedOrders(user)).map((o) => o.id)).toEqual([answer.data.data.order.id]);
      expect(await cartOf(user)).toEqual({});
    } else {
      // Told to retry: then nothing may have been placed, and the cart is as it was.
      expect([answer.status, answer.data.code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
      expect(await confirmedOrders(user)).toEqual([]);
      expect(await cartOf(user)).toEqual({ [product.id]: 2 });
      const retry = await cart().post('/api/cart/checkout', {}, { headers: user.auth });
      expect(retry.status).toBe(201);
    }
    expect(await confirmedOrders(user)).toHaveLength(1);
    expect(await cartOf(user)).toEqual({});
    await waitFor(async () => (await stack.getProduct(product.id)).stock === 8, {
      timeoutMs: 20_000,
      what: 'the stock of the one order alone to stay taken',
    });
  });

  it('a checkout replayed with its Idempotency-Key answers the earlier order and leaves what was added to the cart since', async () => {
    const user = await stack.registerUser();
    const product = await stack.createProduct({ price: 4, stock: 10 });
    const other = await stack.createProduct({ price: 1, stock: 10 });
    const headers = { ...user.auth, 'Idempotency-Key': `cart-${randomUUID()}` };
    await add(user, product.id, 2);
    const first = await cart().post('/api/cart/checkout', {}, { headers });
    expect(first.status).toBe(201);

    // The same lines again, then another product: the replay places nothing and removes nothing.
    await add(user, product.id, 2);
    const same = await cart().post('/api/cart/checkout', {}, { headers });
    expect([same.status, same.headers['idempotent-replayed'], same.data.data?.order.id]).toEqual([200, 'true', first.data.data.order.id]);
    expect(await cartOf(user)).toEqual({ [product.id]: 2 });
    await add(user, other.id, 1);
    const more = await cart().post('/api/cart/checkout', {}, { headers });
    expect([more.status, more.data.data?.order.id]).toEqual([200, first.data.data.order.id]);
    expect(await cartOf(user)).toEqual({ [product.id]: 2, [other.id]: 1 });
    expect(await confirmedOrders(user)).toHaveLength(1);
    expect((await stack.getProduct(product.id)).stock).toBe(8);
  });

  it('a customer who cancels their order while it is being placed: the placing client gets 409 ORDER_CANCELLED, no email is queued, no stock is held', async () => {
    const user = await stack.registerUser();
    const product = await stack.createProduct({ price: 7, stock: 5 });
    const session = await sessionOn(stack, 'product');
    // Holds every new reservation of this order before it is written (a release's marker passes),
    // so the cancel's release reaches the Product service first, as when the reserve is slow on the way.
    const gate = 0x5e5e;
    await session.query(`CREATE FUNCTION test_gate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock_shared(${gate}); RETURN NEW; END $$`);
    await session.query(`CREATE TRIGGER test_gate BEFORE INSERT ON reservations FOR EACH ROW
      WHEN (NEW.status <> 'released') EXECUTE FUNCTION test_gate()`);
    let placed;
    try {
      await session.query('SELECT pg_advisory_lock($1)', [gate]);
      const placing = placeOrder(stack, user, [{ productId: product.id, quantity: 1 }]);
      await waitingBackend(session, ['%reserve_stock%']);
      const [pending] = await orderRowsOf(stack, user.id);
      expect(pending.status).toBe('pending');

      const cancel = await cart().post(`/api/orders/${pending.id}/cancel`, {}, { headers: user.auth });
      expect([cancel.status, cancel.data.data?.order.status]).toEqual([200, 'cancelled']);
      await session.query('SELECT pg_advisory_unlock($1)', [gate]);
      placed = await placing;

      expect([placed.status, placed.data.code]).toEqual([409, 'ORDER_CANCELLED']);
      expect(placed.data.error).toContain(pending.id);
      // Never confirmed, so never announced: a cancellation email would tell of a total never charged.
      expect(
        await stack.query('order', `SELECT dedupe_key FROM outbox WHERE topic = 'notification' AND dedupe_key LIKE $1`, [`%${pending.id}`]),
      ).toEqual([]);
      expect(await orderRowsOf(stack, user.id)).toEqual([{ id: pending.id, status: 'cancelled' }]);
      expect((await stack.getProduct(product.id)).stock).toBe(5);
    } finally {
      await session.query('DROP TRIGGER IF EXISTS test_gate ON reservations; DROP FUNCTION IF EXISTS test_gate()');
      await session.end();
    }
  });
});
