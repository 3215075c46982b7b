import { ServiceUnavailableError } from '@shop/errors';
import { admin, customer, LAPTOP, orderWorldWithAnOrder, OrderWorld } from '../testing/order-world.test-helpers';

/** Cancelling (docs/order-protocol.md, "Cancelling an order"), on in-memory ports. */
describe('CancelOrder', () => {
  let world: OrderWorld;
  let orderId: string;
  beforeEach(async () => {
    ({ world, orderId } = await orderWorldWithAnOrder(2));
  });

  it('cancels a confirmed order, emails the customer and gives the stock back at once', async () => {
    const cancelled = await world.cancelOrder.execute(customer, orderId);

    expect(cancelled.status).toBe('cancelled');
    expect(world.products.catalogue.get(LAPTOP)?.stock).toBe(5);
    expect(world.store.messages('notification').map((m) => m.dedupeKey)).toEqual([
      `order-confirmed:${orderId}`,
      `order-cancelled:${orderId}`,
    ]);
    expect(world.store.messages('stock-release')).toEqual([expect.objectContaining({ payload: { orderId }, sent: true })]);
  });

  it('sends no email for a pending order (its customer was never told of it)', async () => {
    world.store.put({ id: 'placing', userId: customer.id, status: 'pending' });

    await world.cancelOrder.execute(customer, 'placing');

    expect(world.store.messages('notification').map((m) => m.dedupeKey)).not.toContain('order-cancelled:placing');
    expect(world.store.order('placing')?.status).toBe('cancelled');
  });

  it('stands when the Product service cannot take the release now: the outbox keeps it for the relay', async () => {
    world.products.release = () => Promise.reject(new ServiceUnavailableError('product-service'));

    await world.cancelOrder.execute(customer, orderId);

    expect(world.store.order(orderId)?.status).toBe('cancelled');
    expect(world.store.messages('stock-release')).toEqual([expect.objectContaining({ payload: { orderId }, sent: false })]);
  });

  it('lets an admin cancel anyone’s order, and hides it from another customer (404)', async () => {
    const stranger = { id: 'user-bob', role: 'customer' } as const;

    await expect(world.cancelOrder.execute(stranger, orderId)).rejects.toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
    await expect(world.cancelOrder.execute(admin, orderId)).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('refuses once the order has shipped (409), changing nothing', async () => {
    await world.changeOrderStatus.execute(orderId, 'shipped');

    await expect(world.cancelOrder.execute(customer, orderId)).rejects.toMatchObject({ status: 409, code: 'ORDER_STATUS_CONFLICT' });

    expect(world.store.order(orderId)?.status).toBe('shipped');
    expect(world.products.catalogue.get(LAPTOP)?.stock).toBe(3);
  });
});
