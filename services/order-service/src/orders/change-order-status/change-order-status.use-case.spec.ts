import { customer, LAPTOP, orderWorldWithAnOrder, OrderWorld } from '../testing/order-world.test-helpers';

/** An admin moves an order along its lifecycle (order-status.rules.ts), on in-memory ports. */
describe('ChangeOrderStatus', () => {
  let world: OrderWorld;
  let orderId: string;
  beforeEach(async () => {
    ({ world, orderId } = await orderWorldWithAnOrder(1));
  });

  it('ships, then delivers, emailing each step', async () => {
    await world.changeOrderStatus.execute(orderId, 'shipped');
    const delivered = await world.changeOrderStatus.execute(orderId, 'delivered');

    expect(delivered.status).toBe('delivered');
    expect(world.store.messages('notification').map((m) => m.dedupeKey)).toEqual([
      `order-confirmed:${orderId}`,
      `order-shipped:${orderId}`,
      `order-delivered:${orderId}`,
    ]);
  });

  it.each([
    ['confirmed', 'delivered'],
    ['confirmed', 'pending'],
  ] as const)('refuses %s → %s (409 INVALID_STATUS_TRANSITION), changing nothing', async (_from, to) => {
    await expect(world.changeOrderStatus.execute(orderId, to)).rejects.toMatchObject({ status: 409, code: 'INVALID_STATUS_TRANSITION' });

    expect(world.store.order(orderId)?.status).toBe('confirmed');
    expect(world.store.messages('notification')).toHaveLength(1);
  });

  it('never confirms a pending order: only its placement does', async () => {
    world.store.put({ id: 'placing', userId: customer.id, status: 'pending' });

    const refused = world.changeOrderStatus.execute('placing', 'confirmed');

    await expect(refused).rejects.toMatchObject({
      status: 409,
      message: 'A pending order is confirmed by its own placement, not by a status change',
    });
  });

  it('cancels as the customer’s cancel does: the stock goes back', async () => {
    await world.changeOrderStatus.execute(orderId, 'cancelled');

    expect(world.products.catalogue.get(LAPTOP)?.stock).toBe(5);
    expect(world.store.messages('stock-release')).toEqual([expect.objectContaining({ sent: true })]);
  });

  it('does not find an abandoned order (404)', async () => {
    world.store.put({ id: 'given-up', userId: customer.id, status: 'abandoned' });

    await expect(world.changeOrderStatus.execute('given-up', 'cancelled')).rejects.toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
  });
});
