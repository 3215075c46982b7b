import { randomUUID } from 'node:crypto';
import { waitFor } from '@shop/test-kit';
import { Stack, startStack } from '../harness/stack';
import { orderRowsOf, placeOrder } from './order-helpers';

/**
 * The Order service's stale-order recovery against the real Product service: an order a crashed
 * placement left `pending` gives its stock back and frees its Idempotency-Key.
 */
describe('recovery of an order whose placement never finished', () => {
  let stack: Stack;
  // The stale order below is dated an hour back, so the default STALE_ORDER_AFTER_MS applies; only the pause between sweeps is shortened.
  beforeAll(async () => {
    stack = await startStack({ env: { order: { STALE_ORDER_SWEEP_INTERVAL_MS: '200' } } });
  }, 120_000);
  afterAll(() => stack?.close(), 60_000);

  it('returns the confirmed stock of a pending order left by a crash, removes the order, and lets its Idempotency-Key place the order anew', async () => {
    const customer = await stack.registerUser();
    const product = await stack.createProduct({ price: 12.5, stock: 10 });
    const orderId = randomUUID();
    const idempotencyKey = `checkout-${randomUUID()}`;
    const products = stack.api('product');
    const internal = { headers: stack.internalHeaders };

    // The placement reserved its stock, held as confirmed (no TTL ever undoes it), then the
    // process died before its order was confirmed.
    const reserved = await products.post(
      '/api/reservations',
      { orderId, items: [{ productId: product.id, quantity: 3 }], confirm: true },
      internal,
    );
    expect(reserved.status).toBe(201);
    expect((await stack.getProduct(product.id)).stock).toBe(7);
    await stack.query(
      'order',
      `WITH stale AS (
         INSERT INTO orders (id, user_id, status, total_amount, idempotency_key, request_hash, created_at)
         VALUES ($1, $2, 'pending', 37.50, $3, $4, now() - interval '1 hour')
         RETURNING id)
       INSERT INTO order_items (order_id, product_id, product_name, unit_price, quantity, line_total)
       SELECT id, $5, 'Lamp', 12.50, 3, 37.50 FROM stale`,
      [orderId, customer.id, idempotencyKey, '0'.repeat(64), product.id],
    );

    await waitFor(async () => (await stack.query('order', 'SELECT id FROM orders WHERE id = $1', [orderId])).length === 0, {
      timeoutMs: 15_000,
      what: 'the stale order to be recovered',
    });
    expect(await stack.query('order', 'SELECT count(*)::int AS n FROM order_items WHERE order_id = $1', [orderId])).toEqual([{ n: 0 }]);
    expect((await stack.getProduct(product.id)).stock).toBe(10);
    expect((await products.get(`/api/reservations/${orderId}`, internal)).data.data.reservation.status).toBe('released');
    const metrics = await stack.api('order').get('/metrics');
    expect(metrics.data).toMatch(/orders_stale_abandoned_total\{[^}]*\} 1\n/);

    // The client's retry with the same key no longer meets IDEMPOTENCY_KEY_IN_PROGRESS: it places the order.
    const retry = await placeOrder(stack, customer, [{ productId: product.id, quantity: 3 }], idempotencyKey);
    expect(retry.status).toBe(201);
    expect(retry.data.data.order).toMatchObject({ status: 'confirmed', totalAmount: 37.5 });
    expect(retry.data.data.order.id).not.toBe(orderId);
    expect((await stack.getProduct(product.id)).stock).toBe(7);
    expect(await orderRowsOf(stack, customer.id)).toEqual([{ id: retry.data.data.order.id, status: 'confirmed' }]);
  });
});
