import { waitFor } from '@shop/test-kit';
import { RegisteredUser, useStack } from '../harness/stack';
import { emailsAbout, orderRowsOf, placeOrder } from './order-helpers';

/** Orders while a service the Order service depends on is down, and after it is back. */
describe('orders when a dependency is down', () => {
  const stack = useStack();
  let customer: RegisteredUser;
  beforeAll(async () => {
    customer = await stack.registerUser();
  });

  const orders = () => stack.api('order');

  it('with the Product service down: 503 naming it, nothing written; reads degrade; cancels stand; once it is back their stock returns and orders succeed', async () => {
    const product = await stack.createProduct({ price: 10, stock: 10 });
    const earlier = (await placeOrder(stack, customer, [{ productId: product.id, quantity: 1 }])).data.data.order.id;
    const buyer = await stack.registerUser();
    // Validate the buyer's token once, so the failure below is the Product service's alone.
    expect((await orders().get('/api/orders', { headers: buyer.auth })).status).toBe(200);

    await stack.stop('product');
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const res = await placeOrder(stack, buyer, [{ productId: product.id, quantity: 1 }]);
        expect(res.status).toBe(503);
        expect(res.data).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE' });
        expect(res.data.error).toMatch(/Product service/);
      }
      // The Product service never got those calls (connection refused): nothing was held, nothing is kept.
      expect(await orderRowsOf(stack, buyer.id)).toEqual([]);

      const read = await orders().get(`/api/orders/${earlier}`, { headers: customer.auth });
      expect(read.status).toBe(200);
      expect(read.data.data.partial).toBe(true);
      expect(read.data.data.order.items[0]).toMatchObject({ productId: product.id, product: null, unitPrice: 10 });
      const list = await orders().get('/api/orders', { headers: customer.auth });
      expect(list.status).toBe(200);
      expect(list.data.data.partial).toBe(true);

      // The cancel is committed; its stock release waits in the outbox for the Product service.
      const cancel = await orders().post(`/api/orders/${earlier}/cancel`, {}, { headers: customer.auth });
      expect(cancel.status).toBe(200);
      expect(cancel.data.data.order.status).toBe('cancelled');
    } finally {
      await stack.start('product');
    }

    // Back: the relay releases what the failed placements and the cancel held, and removes the given-up orders.
    await waitFor(async () => (await orderRowsOf(stack, buyer.id)).length === 0, {
      timeoutMs: 20_000,
      what: 'the given-up orders to be removed',
    });
    await waitFor(async () => (await stack.getProduct(product.id)).stock === 10, {
      timeoutMs: 20_000,
      what: 'the cancelled order’s stock to return',
    });

    // The breaker lets a probe through shortly after (BREAKER_HALF_OPEN_MS): reads recover first.
    await waitFor(async () => (await orders().get(`/api/orders/${earlier}`, { headers: customer.auth })).data.data?.partial === false, {
      timeoutMs: 15_000,
      what: 'the Order service to read products again',
    });
    const res = await placeOrder(stack, buyer, [{ productId: product.id, quantity: 2 }]);
    expect(res.status).toBe(201);
    expect((await stack.getProduct(product.id)).stock).toBe(8);
  });

  it('with the Notification service down: orders succeed, and once it is back each email arrives exactly once', async () => {
    const product = await stack.createProduct({ price: 3.33, stock: 50 });
    await stack.stop('notification');
    const ids: string[] = [];
    try {
      for (let n = 1; n <= 3; n += 1) {
        const res = await placeOrder(stack, customer, [{ productId: product.id, quantity: n }]);
        expect(res.status).toBe(201);
        ids.push(res.data.data.order.id);
      }
      // The relay has tried and failed, and keeps the messages for later.
      await waitFor(
        async () => {
          const rows = await stack.query<{ attempts: number; status: string }>(
            'order',
            `SELECT attempts, status FROM outbox WHERE dedupe_key = ANY($1)`,
            [ids.map((id) => `order-confirmed:${id}`)],
          );
          return rows.length === 3 && rows.every((r) => r.status === 'pending' && r.attempts >= 2);
        },
        { timeoutMs: 15_000, what: 'failed delivery attempts to be recorded' },
      );
      for (const id of ids) expect(emailsAbout(stack, id)).toEqual([]);
    } finally {
      await stack.start('notification');
    }

    await waitFor(() => ids.every((id) => emailsAbout(stack, id).length > 0), { timeoutMs: 30_000, what: 'the three confirmation emails' });
    await waitFor(
      async () => {
        const rows = await stack.query<{ status: string }>('order', `SELECT status FROM outbox WHERE dedupe_key = ANY($1)`, [
          ids.map((id) => `order-confirmed:${id}`),
        ]);
        return rows.every((r) => r.status === 'sent');
      },
      { what: 'the outbox to record the deliveries' },
    );
    for (const id of ids) {
      expect(emailsAbout(stack, id)).toHaveLength(1);
      expect(emailsAbout(stack, id)[0].subject).toBe('Order confirmed');
    }
    const listed = await stack
      .api('notification')
      .get('/api/notifications', { params: { userId: customer.id, limit: 100 }, headers: stack.internalHeaders });
    for (const id of ids) {
      const matching = listed.data.data.notifications.filter((n: { dedupeKey?: string }) => n.dedupeKey === `order-confirmed:${id}`);
      expect(matching).toHaveLength(1);
    }
  });
});
