import { randomUUID } from 'node:crypto';
import { waitFor } from '@shop/test-kit';
import { RegisteredUser, useStack } from '../harness/stack';

const address = { line1: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'US' };

/**
 * Outages as a customer lives them: one service is really stopped (SIGTERM, as an outage or a
 * deploy would stop it) in the middle of a visit, and started again. Each test brings back what
 * it stopped. Placing and reading orders with the Product or the Notification service down is
 * covered in tests/e2e/src/orders/resilience.spec.ts; here: the User service's outage, and the
 * cart through the Product service's.
 */
describe('a customer’s visit while a service is down', () => {
  const stack = useStack();

  const orders = () => stack.api('order');
  const placeOrder = (user: RegisteredUser, productId: string, quantity: number) =>
    orders().post(
      '/api/orders',
      { items: [{ productId, quantity }], shippingAddress: address },
      { headers: { ...user.auth, 'Idempotency-Key': randomUUID() } },
    );
  const ordersOf = (userId: string) =>
    stack.query<{ id: string; status: string }>('order', 'SELECT id, status FROM orders WHERE user_id = $1', [userId]);
  const outboxSize = async () => Number((await stack.query<{ n: string }>('order', 'SELECT count(*) AS n FROM outbox'))[0].n);

  it('User service down: the catalogue still answers, an order is a clear 503 naming the User service, nothing is written; then it goes through', async () => {
    const product = await stack.createProduct({ price: 19.99, stock: 5 });
    // Registered but never seen by the Order service: no cached token validation can answer for it.
    const customer = await stack.registerUser();
    const outboxBefore = await outboxSize();

    await stack.stop('user');
    try {
      // Browsing needs no account.
      const browse = await stack.api('product').get(`/api/products/${product.id}`);
      expect(browse.status).toBe(200);

      const res = await placeOrder(customer, product.id, 2);
      expect(res.status).toBe(503);
      expect(res.data).toMatchObject({ success: false, code: expect.any(String), requestId: expect.any(String) });
      expect(res.data.error).toMatch(/User service/);
      const cart = await orders().post('/api/cart/items', { productId: product.id, quantity: 1 }, { headers: customer.auth });
      expect(cart.status).toBe(503);
      expect(cart.data.error).toMatch(/User service/);

      expect((await stack.getProduct(product.id)).stock).toBe(5);
      expect(await ordersOf(customer.id)).toEqual([]);
      expect(await outboxSize()).toBe(outboxBefore);
      const ready = await orders().get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.data.data).toMatchObject({ status: 'ready', degraded: true });
      expect(ready.data.data.checks['user-service'].status).toBe('down');
    } finally {
      await stack.start('user');
    }

    // Back: the order goes through once the circuit breaker lets a probe through.
    const placed = await waitFor(
      async () => {
        const res = await placeOrder(customer, product.id, 2);
        return res.status === 201 ? res : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250, what: 'an order to go through once the User service is back' },
    );
    expect(placed.data.data.order).toMatchObject({ userId: customer.id, status: 'confirmed', totalAmount: 39.98 });
    expect((await stack.getProduct(product.id)).stock).toBe(3);
    expect(await ordersOf(customer.id)).toHaveLength(1);
  });

  it('Product service down: the cart still reads (product: null, partial), checkout is a 503 naming it and keeps the cart; then it checks out', async () => {
    const laptop = await stack.createProduct({ price: 999.99, stock: 4 });
    const mouse = await stack.createProduct({ price: 29.99, stock: 10 });
    const customer = await stack.registerUser();
    for (const [productId, quantity] of [
      [laptop.id, 1],
      [mouse.id, 2],
    ] as const) {
      expect((await orders().post('/api/cart/items', { productId, quantity }, { headers: customer.auth })).status).toBe(200);
    }

    await stack.stop('product');
    try {
      const cart = await orders().get('/api/cart', { headers: customer.auth });
      expect(cart.status).toBe(200);
      expect(cart.data.data.partial).toBe(true);
      // What the customer chose is kept; only the live product data (and so the prices) is missing.
      expect(cart.data.data.cart.itemCount).toBe(3);
      expect(cart.data.data.cart.subtotal).toBeNull();
      for (const item of cart.data.data.cart.items) expect(item).toMatchObject({ product: null, unitPrice: null, lineTotal: null });

      const checkout = await orders().post('/api/cart/checkout', { shippingAddress: address }, { headers: customer.auth });
      expect(checkout.status).toBe(503);
      expect(checkout.data).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE' });
      expect(checkout.data.error).toMatch(/Product service/);
      expect(await ordersOf(customer.id)).toEqual([]);
    } finally {
      await stack.start('product');
    }

    expect((await stack.getProduct(laptop.id)).stock).toBe(4);
    const whole = await waitFor(
      async () => {
        const res = await orders().get('/api/cart', { headers: customer.auth });
        return res.data?.data?.partial === false ? res : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250, what: 'the cart to read whole again' },
    );
    expect(whole.data.data.cart).toMatchObject({ itemCount: 3, subtotal: 1059.97 });
    const checkout = await orders().post('/api/cart/checkout', { shippingAddress: address }, { headers: customer.auth });
    expect(checkout.status).toBe(201);
    expect(checkout.data.data.order.totalAmount).toBe(1059.97);
    expect((await stack.getProduct(laptop.id)).stock).toBe(3);
    expect((await stack.getProduct(mouse.id)).stock).toBe(8);
  });
});
