import { ServiceTimeoutError, ServiceUnavailableError } from '@shop/errors';
import { ReleaseStock } from '../jobs/release-stock.use-case';
import { normalizeLines, requestFingerprint } from '../order-request.rules';
import { customer, LAPTOP, MOUSE, orderWorld, OrderWorld } from '../testing/order-world.test-helpers';

const TWO_LAPTOPS_AND_A_MOUSE = {
  items: [
    { productId: LAPTOP, quantity: 2 },
    { productId: MOUSE, quantity: 1 },
  ],
};

/** Placing an order (docs/order-protocol.md), on in-memory ports: each branch of the protocol, and what it leaves behind. */
describe('PlaceOrder', () => {
  let world: OrderWorld;
  beforeEach(() => {
    world = orderWorld();
  });

  it('confirms the order priced from the reservation, with its email addressed to the customer', async () => {
    const placed = await world.placeOrder.execute(customer, TWO_LAPTOPS_AND_A_MOUSE);

    expect(placed).toMatchObject({ created: true, order: { status: 'confirmed', totalAmount: 2025.48, userId: customer.id } });
    expect(world.products.catalogue.get(LAPTOP)?.stock).toBe(3);
    expect(world.store.messages('notification')).toEqual([
      expect.objectContaining({
        dedupeKey: `order-confirmed:${placed.order.id}`,
        payload: expect.objectContaining({ recipient: { email: 'ada@example.com', name: 'Ada Lovelace' } }),
      }),
    ]);
  });

  it('takes a checkout’s cart lines out in the statement that confirms it', async () => {
    const cartLines = [{ productId: MOUSE, quantity: 1 }];

    await world.placeOrder.execute(customer, { items: cartLines }, undefined, { cartLines });

    expect(world.store.checkedOut()).toEqual([{ userId: customer.id, productId: MOUSE, quantity: 1 }]);
  });

  it('places one order for two checkouts of the same cart: the second is refused, its order given up and its stock released', async () => {
    const cartLines = [{ productId: LAPTOP, quantity: 2 }];
    const both = await Promise.allSettled(
      [1, 2].map(() => world.placeOrder.execute(customer, { items: cartLines }, undefined, { cartLines })),
    );

    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [refused] = both.filter((r) => r.status === 'rejected');
    expect(refused.reason).toMatchObject({ status: 409, code: 'CART_CHANGED' });
    expect(
      world.store
        .allOrders()
        .map((o) => o.status)
        .sort(),
    ).toEqual(['abandoned', 'confirmed']);
    const given = world.store.allOrders().find((o) => o.status === 'abandoned')!;
    expect(world.store.messages('stock-release')).toEqual([expect.objectContaining({ payload: { orderId: given.id } })]);
    await new ReleaseStock(world).execute(given.id);
    expect(world.products.catalogue.get(LAPTOP)?.stock).toBe(3);
  });

  describe('when the Product service refuses', () => {
    it('removes the order and passes the refusal on (409 short)', async () => {
      const tooMany = { items: [{ productId: LAPTOP, quantity: 6 }] };

      await expect(world.placeOrder.execute(customer, tooMany)).rejects.toMatchObject({ status: 409, code: 'INSUFFICIENT_STOCK' });

      expect(world.store.allOrders()).toEqual([]);
      expect(world.store.messages('stock-release')).toEqual([]);
    });

    it('states unknown products as one 404 naming each', async () => {
      const unknown = '00000000-0000-4000-8000-0000000000ff';

      const refused = world.placeOrder.execute(customer, { items: [{ productId: unknown, quantity: 1 }] });

      await expect(refused).rejects.toMatchObject({
        status: 404,
        code: 'PRODUCT_NOT_FOUND',
        details: [expect.objectContaining({ productId: unknown })],
      });
      expect(world.store.allOrders()).toEqual([]);
    });
  });

  it('removes the order when the call never reached the Product service, and answers 503', async () => {
    world.products.onReserve = {
      before: () => {
        throw new ServiceUnavailableError('product-service', 'The Product service is unavailable (connection refused)', {
          mayHaveReachedTarget: false,
        });
      },
    };

    await expect(world.placeOrder.execute(customer, TWO_LAPTOPS_AND_A_MOUSE)).rejects.toMatchObject({ status: 503 });

    expect(world.store.allOrders()).toEqual([]);
    expect(world.store.messages('stock-release')).toEqual([]);
  });

  it('abandons the order and queues its stock release when the call timed out after it may have reached the Product service', async () => {
    world.products.onReserve = {
      after: () => {
        throw new ServiceTimeoutError('product-service', 'The Product service did not answer in time');
      },
    };

    await expect(world.placeOrder.execute(customer, TWO_LAPTOPS_AND_A_MOUSE)).rejects.toMatchObject({ status: 504 });

    const [order] = world.store.allOrders();
    expect(order.status).toBe('abandoned');
    expect(world.store.messages('stock-release')).toEqual([expect.objectContaining({ payload: { orderId: order.id } })]);
    // The relay's delivery of that message puts the stock back, then removes the order.
    await new ReleaseStock(world).execute(order.id);
    expect(world.products.catalogue.get(LAPTOP)?.stock).toBe(5);
    expect(world.store.allOrders()).toEqual([]);
  });

  describe('with an Idempotency-Key', () => {
    it('answers a repeat of the same request with the earlier order, reserving nothing more', async () => {
      const first = await world.placeOrder.execute(customer, TWO_LAPTOPS_AND_A_MOUSE, 'key-1');

      const again = await world.placeOrder.execute(customer, TWO_LAPTOPS_AND_A_MOUSE, 'key-1');

      expect(again).toMatchObject({ created: false, order: { id: first.order.id, status: 'confirmed' } });
      expect(world.products.reserveCalls).toEqual([first.order.id]);
    });

    it('refuses the key with another request (422)', async () => {
      await world.placeOrder.execute(customer, TWO_LAPTOPS_AND_A_MOUSE, 'key-1');

      const other = world.placeOrder.execute(customer, { items: [{ productId: MOUSE, quantity: 3 }] }, 'key-1');

      await expect(other).rejects.toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('answers 409 IN_PROGRESS when the earlier request is still placing past the wait', async () => {
      const lines = normalizeLines(TWO_LAPTOPS_AND_A_MOUSE.items, 100);
      world.store.put({
        id: 'earlier',
        userId: customer.id,
        status: 'pending',
        idempotencyKey: 'key-1',
        requestHash: requestFingerprint(lines),
      });

      const repeat = world.placeOrder.execute(customer, TWO_LAPTOPS_AND_A_MOUSE, 'key-1');

      await expect(repeat).rejects.toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
    });
  });

  describe('when its order is cancelled meanwhile', () => {
    it('answers 409 ORDER_CANCELLED and confirms nothing', async () => {
      world.products.onReserve = { after: (orderId) => world.cancelOrder.execute(customer, orderId).then(() => undefined) };

      await expect(world.placeOrder.execute(customer, TWO_LAPTOPS_AND_A_MOUSE)).rejects.toMatchObject({
        status: 409,
        code: 'ORDER_CANCELLED',
      });

      const [order] = world.store.allOrders();
      expect(order.status).toBe('cancelled');
      expect(world.store.messages('notification')).toEqual([]);
      expect(world.products.catalogue.get(LAPTOP)?.stock).toBe(5);
    });

    it('answers 409 ORDER_CANCELLED too when the cancel’s release got there first and the reserve was refused', async () => {
      world.products.onReserve = { before: (orderId) => world.cancelOrder.execute(customer, orderId).then(() => undefined) };

      await expect(world.placeOrder.execute(customer, TWO_LAPTOPS_AND_A_MOUSE)).rejects.toMatchObject({
        status: 409,
        code: 'ORDER_CANCELLED',
      });

      expect(world.store.allOrders().map((o) => o.status)).toEqual(['cancelled']);
    });
  });

  describe('when the confirming statement fails', () => {
    it('abandons the order with its release queued when the database refused it (rolled back)', async () => {
      world.store.failNext('confirmWithItems', Object.assign(new Error('Query failed'), { driverError: { code: '23514' } }));

      await expect(world.placeOrder.execute(customer, TWO_LAPTOPS_AND_A_MOUSE)).rejects.toThrow('Query failed');

      expect(world.store.allOrders().map((o) => o.status)).toEqual(['abandoned']);
      expect(world.store.messages('stock-release')).toHaveLength(1);
    });

    it('undoes nothing when the connection was lost around the COMMIT (it may have committed)', async () => {
      world.store.failNext('confirmWithItems', new Error('Connection terminated unexpectedly'));

      await expect(world.placeOrder.execute(customer, TWO_LAPTOPS_AND_A_MOUSE)).rejects.toThrow('Connection terminated');

      expect(world.store.allOrders().map((o) => o.status)).toEqual(['pending']);
      expect(world.store.messages('stock-release')).toEqual([]);
    });
  });
});
