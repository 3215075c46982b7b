import { randomUUID } from 'node:crypto';
import { waitFor } from '@shop/test-kit';
import { RegisteredUser, useStack } from '../harness/stack';
import { address, awaitEmail, countBy, orderRowsOf, placeOrder } from './order-helpers';

/** Placing, reading, cancelling and moving orders with the real User, Product and Notification services. */
describe('orders across the real services', () => {
  const stack = useStack();
  let customer: RegisteredUser;
  beforeAll(async () => {
    customer = await stack.registerUser();
  });

  const orders = () => stack.api('order');

  it('places an order: stock drops, the total is exact, it reads back enriched, and the email arrives once', async () => {
    const laptop = await stack.createProduct({ name: `Laptop ${randomUUID()}`, price: 999.99, stock: 10 });
    const mouse = await stack.createProduct({ name: `Mouse ${randomUUID()}`, price: 29.99, stock: 50 });

    const res = await placeOrder(stack, customer, [
      { productId: laptop.id, quantity: 2 },
      { productId: mouse.id, quantity: 1 },
      { productId: mouse.id, quantity: 2 }, // merged with the line above
    ]);
    expect(res.status).toBe(201);
    const order = res.data.data.order;
    expect(order).toMatchObject({ userId: customer.id, status: 'confirmed', totalAmount: 2089.95, shippingAddress: address });
    expect(res.headers.location).toBe(`/api/orders/${order.id}`);
    const byProduct = Object.fromEntries(order.items.map((i: { productId: string }) => [i.productId, i]));
    expect(byProduct[laptop.id]).toMatchObject({ productName: laptop.name, unitPrice: 999.99, quantity: 2, lineTotal: 1999.98 });
    expect(byProduct[mouse.id]).toMatchObject({ productName: mouse.name, unitPrice: 29.99, quantity: 3, lineTotal: 89.97 });

    expect((await stack.getProduct(laptop.id)).stock).toBe(8);
    expect((await stack.getProduct(mouse.id)).stock).toBe(47);

    const read = await orders().get(`/api/orders/${order.id}`, { headers: customer.auth });
    expect(read.status).toBe(200);
    expect(read.data.data.partial).toBe(false);
    expect(read.data.data.order).toMatchObject({ id: order.id, status: 'confirmed', totalAmount: 2089.95 });
    const readItems = read.data.data.order.items as Array<{ productId: string; product: { id: string; name: string; stock: number } }>;
    expect(readItems.find((i) => i.productId === laptop.id)?.product).toMatchObject({ id: laptop.id, name: laptop.name, stock: 8 });

    const list = await orders().get('/api/orders', { headers: customer.auth });
    expect(list.status).toBe(200);
    expect(list.data.data.orders.map((o: { id: string }) => o.id)).toContain(order.id);
    expect(list.data.data.pagination).toMatchObject({ page: 1, limit: 20 });
    expect(list.data.data.orders[0].items[0].product).not.toBeNull();

    const emails = await awaitEmail(stack, order.id, 'Order confirmed');
    expect(emails).toHaveLength(1);
    expect(emails[0].to).toEqual([customer.email]);
    expect(emails[0].text).toContain('2089.95');
    const notifications = await stack
      .api('notification')
      .get('/api/notifications', { params: { userId: customer.id }, headers: stack.internalHeaders });
    const confirmation = notifications.data.data.notifications.filter(
      (n: { dedupeKey?: string }) => n.dedupeKey === `order-confirmed:${order.id}`,
    );
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0].status).toBe('sent');
  });

  it('sells exactly the stock to 100 concurrent orders: 20 placed, 80 refused with 409, none oversold', async () => {
    const product = await stack.createProduct({ price: 5, stock: 20 });
    const buyer = await stack.registerUser();
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => placeOrder(stack, buyer, [{ productId: product.id, quantity: 1 }])),
    );

    const statuses = countBy(answers.map((r) => r.status));
    expect(Object.fromEntries(statuses)).toEqual({ 201: 20, 409: 80 });
    for (const refused of answers.filter((r) => r.status === 409)) {
      expect(refused.data).toMatchObject({ success: false, code: 'INSUFFICIENT_STOCK' });
      expect(refused.data.error).toContain(product.name);
    }
    expect((await stack.getProduct(product.id)).stock).toBe(0);
    const rows = await orderRowsOf(stack, buyer.id);
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.status === 'confirmed')).toBe(true);
  });

  it('places one order for 8 concurrent requests with one Idempotency-Key, and moves the stock once', async () => {
    const product = await stack.createProduct({ price: 12.5, stock: 30 });
    const key = `checkout-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => placeOrder(stack, customer, [{ productId: product.id, quantity: 3 }], key)),
    );

    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(answers.map((r) => r.data.data.order.id));
    expect(ids.size).toBe(1);
    expect(answers.every((r) => r.data.data.order.totalAmount === 37.5)).toBe(true);
    expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(7);
    expect((await stack.getProduct(product.id)).stock).toBe(27);

    const [id] = ids;
    const again = await placeOrder(stack, customer, [{ productId: product.id, quantity: 3 }], key);
    expect(again.status).toBe(200);
    expect(again.data.data.order.id).toBe(id);

    const changed = await placeOrder(stack, customer, [{ productId: product.id, quantity: 4 }], key);
    expect(changed.status).toBe(422);
    expect(changed.data.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // The key is per user: someone else's request with it is a different order.
    const other = await stack.registerUser();
    const theirs = await placeOrder(stack, other, [{ productId: product.id, quantity: 3 }], key);
    expect(theirs.status).toBe(201);
    expect(theirs.data.data.order.id).not.toBe(id);
    expect((await stack.getProduct(product.id)).stock).toBe(24);
    const withKey = await stack.query('order', 'SELECT id FROM orders WHERE idempotency_key = $1', [key]);
    expect(withKey).toHaveLength(2);
  });

  it('refuses unknown and inactive products by id before touching any stock', async () => {
    const product = await stack.createProduct({ price: 10, stock: 5 });
    const inactive = await stack.createProduct({ price: 10, stock: 5, isActive: false });
    const unknown = randomUUID();
    const res = await placeOrder(stack, customer, [
      { productId: product.id, quantity: 1 },
      { productId: unknown, quantity: 1 },
      { productId: inactive.id, quantity: 1 },
    ]);
    expect(res.status).toBe(404);
    expect(res.data.code).toBe('PRODUCT_NOT_FOUND');
    expect(res.data.error).toContain(unknown);
    expect(res.data.error).toContain(inactive.id);
    expect(res.data.error).not.toContain(product.id);
    expect((await stack.getProduct(product.id)).stock).toBe(5);
  });

  it('answers bad input with 400 and details, a bad token with 401, and never writes an order', async () => {
    const product = await stack.createProduct({ price: 10, stock: 5 });
    const bodies: unknown[] = [
      {},
      { items: [] },
      { items: [{ productId: product.id, quantity: 0 }] },
      { items: [{ productId: product.id, quantity: 101 }] },
      { items: [{ productId: product.id, quantity: 1.5 }] },
      { items: [{ productId: 'not-a-uuid', quantity: 1 }] },
      { items: [{ productId: product.id, quantity: 1, price: 0.01 }] },
      { items: [{ productId: product.id, quantity: 1 }], shippingAddress: { line1: 'x' } },
      { items: [{ productId: product.id, quantity: 1 }], userId: 'someone-else' },
      { items: Array.from({ length: 51 }, () => ({ productId: randomUUID(), quantity: 1 })) },
      {
        items: [
          { productId: product.id, quantity: 60 },
          { productId: product.id, quantity: 41 },
        ],
      },
    ];
    const user = await stack.registerUser();
    for (const body of bodies) {
      const res = await orders().post('/api/orders', body, { headers: user.auth });
      expect({ body, status: res.status, success: res.data.success }).toEqual({ body, status: 400, success: false });
      expect(res.data.details?.length ?? 0).toBeGreaterThan(0);
    }
    const badKey = await orders().post(
      '/api/orders',
      { items: [{ productId: product.id, quantity: 1 }] },
      {
        headers: { ...user.auth, 'Idempotency-Key': 'x'.repeat(201) },
      },
    );
    expect(badKey.status).toBe(400);
    expect(badKey.data.code).toBe('INVALID_IDEMPOTENCY_KEY');

    const badToken = await orders().post(
      '/api/orders',
      { items: [{ productId: product.id, quantity: 1 }] },
      {
        headers: { Authorization: 'Bearer not.a.token' },
      },
    );
    expect(badToken.status).toBe(401);
    expect(badToken.data.code).toBe('INVALID_TOKEN');
    expect((await orders().get('/api/orders/not-a-uuid', { headers: user.auth })).status).toBe(400);
    expect(await orderRowsOf(stack, user.id)).toEqual([]);
    expect((await stack.getProduct(product.id)).stock).toBe(5);
  });

  it('leaves stock exactly as it was when writing the order fails after the reservation', async () => {
    const good = await stack.createProduct({ price: 20, stock: 10 });
    const marked = await stack.createProduct({ name: `explode-${randomUUID()}`, price: 30, stock: 10 });
    // A real failure inside the order transaction, after the stock was reserved: the insert of
    // the marked product's item raises (a test-only trigger in this stack's order database).
    await stack.query(
      'order',
      `CREATE FUNCTION fail_marked_item() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.product_name LIKE 'explode-%' THEN RAISE EXCEPTION 'injected failure for %', NEW.product_name; END IF;
         RETURN NEW;
       END $$`,
    );
    await stack.query(
      'order',
      `CREATE TRIGGER fail_marked_item BEFORE INSERT ON order_items FOR EACH ROW EXECUTE FUNCTION fail_marked_item()`,
    );
    try {
      const user = await stack.registerUser();
      const res = await placeOrder(stack, user, [
        { productId: good.id, quantity: 4 },
        { productId: marked.id, quantity: 2 },
      ]);
      expect(res.status).toBe(500);
      expect(res.data).toMatchObject({ success: false, code: 'INTERNAL_ERROR' });
      expect(res.data.error).not.toContain('injected');
      // The order is given up in the same breath and its release queued: the relay gives the
      // stock back, then removes the order.
      await waitFor(async () => (await orderRowsOf(stack, user.id)).length === 0, { what: 'the failed order to be released and removed' });
      expect((await stack.getProduct(good.id)).stock).toBe(10);
      expect((await stack.getProduct(marked.id)).stock).toBe(10);
      const held = await stack.query(
        'product',
        `SELECT r.status FROM reservations r JOIN reservation_items i ON i.order_id = r.order_id WHERE i.product_id = $1`,
        [marked.id],
      );
      expect(held).toEqual([{ status: 'released' }]);
    } finally {
      await stack.query('order', 'DROP TRIGGER fail_marked_item ON order_items');
      await stack.query('order', 'DROP FUNCTION fail_marked_item()');
    }
    const user = await stack.registerUser();
    expect((await placeOrder(stack, user, [{ productId: marked.id, quantity: 2 }])).status).toBe(201);
  });

  it('cancels once: stock returns, a second cancel is 409, and other customers see 404', async () => {
    const product = await stack.createProduct({ price: 15, stock: 10 });
    const placed = await placeOrder(stack, customer, [{ productId: product.id, quantity: 3 }]);
    const id = placed.data.data.order.id;
    expect((await stack.getProduct(product.id)).stock).toBe(7);

    const stranger = await stack.registerUser();
    expect((await orders().get(`/api/orders/${id}`, { headers: stranger.auth })).status).toBe(404);
    const foreignCancel = await orders().post(`/api/orders/${id}/cancel`, {}, { headers: stranger.auth });
    expect(foreignCancel.status).toBe(404);
    expect(foreignCancel.data.code).toBe('ORDER_NOT_FOUND');
    expect((await stack.getProduct(product.id)).stock).toBe(7);

    const [first, second] = await Promise.all([
      orders().post(`/api/orders/${id}/cancel`, {}, { headers: customer.auth }),
      orders().post(`/api/orders/${id}/cancel`, {}, { headers: customer.auth }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.data.code).toBe('ORDER_STATUS_CONFLICT');
    expect((first.status === 200 ? first : second).data.data.order.status).toBe('cancelled');
    expect((await stack.getProduct(product.id)).stock).toBe(10);

    const third = await orders().post(`/api/orders/${id}/cancel`, {}, { headers: customer.auth });
    expect(third.status).toBe(409);
    expect(third.data.code).toBe('ORDER_STATUS_CONFLICT');
    expect((await stack.getProduct(product.id)).stock).toBe(10);
    expect(await awaitEmail(stack, id, 'Order cancelled')).toHaveLength(1);
  });

  it('lets only an admin move an order along its lifecycle, and a cancel through it releases stock', async () => {
    const admin = { Authorization: `Bearer ${await stack.adminToken()}` };
    const product = await stack.createProduct({ price: 7.25, stock: 10 });
    const shipped = (await placeOrder(stack, customer, [{ productId: product.id, quantity: 2 }])).data.data.order.id;
    const status = (id: string, value: string, headers = admin) =>
      orders().patch(`/api/orders/${id}/status`, { status: value }, { headers });

    expect((await status(shipped, 'shipped', customer.auth)).status).toBe(403);
    expect((await orders().get(`/api/orders/${shipped}`, { headers: admin })).status).toBe(200);
    const skip = await status(shipped, 'delivered');
    expect(skip.status).toBe(409);
    expect(skip.data.code).toBe('INVALID_STATUS_TRANSITION');
    expect((await status(shipped, 'shipped')).data.data.order.status).toBe('shipped');
    expect((await orders().post(`/api/orders/${shipped}/cancel`, {}, { headers: customer.auth })).status).toBe(409);
    expect((await status(shipped, 'delivered')).data.data.order.status).toBe('delivered');
    expect((await status(shipped, 'cancelled')).data.code).toBe('INVALID_STATUS_TRANSITION');
    expect((await status(shipped, 'bogus')).status).toBe(400);
    expect((await stack.getProduct(product.id)).stock).toBe(8);
    expect(await awaitEmail(stack, shipped, 'Order delivered')).toHaveLength(1);

    const cancelled = (await placeOrder(stack, customer, [{ productId: product.id, quantity: 5 }])).data.data.order.id;
    expect((await stack.getProduct(product.id)).stock).toBe(3);
    const res = await status(cancelled, 'cancelled');
    expect(res.status).toBe(200);
    expect(res.data.data.order.status).toBe('cancelled');
    expect((await stack.getProduct(product.id)).stock).toBe(8);
    expect((await status(randomUUID(), 'shipped')).status).toBe(404);
  });

  it('pages the caller’s own orders, newest first', async () => {
    const product = await stack.createProduct({ price: 1, stock: 100 });
    const user = await stack.registerUser();
    const ids: string[] = [];
    for (let n = 1; n <= 3; n += 1) ids.push((await placeOrder(stack, user, [{ productId: product.id, quantity: n }])).data.data.order.id);
    const page1 = await orders().get('/api/orders', { headers: user.auth, params: { page: 1, limit: 2 } });
    const page2 = await orders().get('/api/orders', { headers: user.auth, params: { page: 2, limit: 2 } });
    expect(page1.data.data.orders.map((o: { id: string }) => o.id)).toEqual([ids[2], ids[1]]);
    expect(page2.data.data.orders.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
    expect(page1.data.data.pagination).toEqual({ page: 1, limit: 2, total: 3, totalPages: 2, nextCursor: expect.any(String) });
    // The cursor of page 1 leads to the same page 2, and the last page has none.
    const byCursor = await orders().get('/api/orders', {
      headers: user.auth,
      params: { cursor: page1.data.data.pagination.nextCursor, limit: 2 },
    });
    expect(byCursor.data.data.orders.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
    expect(byCursor.data.data.pagination).toMatchObject({ page: 2, nextCursor: null });
    // The one paging rule: a page size above 100 is served at 100; a page that is no number is refused.
    expect((await orders().get('/api/orders', { headers: user.auth, params: { limit: 101 } })).data.data.pagination.limit).toBe(100);
    expect((await orders().get('/api/orders', { headers: user.auth, params: { page: 0 } })).status).toBe(400);
  });
});
