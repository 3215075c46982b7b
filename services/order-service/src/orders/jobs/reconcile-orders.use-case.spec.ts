import { createSilentLogger } from '@shop/observability';
import type { OrderItemEntity } from '../order-item.entity';
import { FakeClock } from '../testing/fake-clock.test-helpers';
import { InMemoryOrderStore } from '../testing/in-memory-order-store.test-helpers';
import { InMemoryProducts } from '../testing/in-memory-products.test-helpers';
import { customer, LAPTOP } from '../testing/order-world.test-helpers';
import { ReconcileOrders } from './reconcile-orders.use-case';

const MINUTE = 60_000;

/**
 * The reconciliation's judgements, on in-memory ports (its cost and its passes over time are
 * measured on PostgreSQL in reconcile-orders.spec.ts).
 */
describe('ReconcileOrders', () => {
  let clock: FakeClock;
  let store: InMemoryOrderStore;
  let products: InMemoryProducts;
  let reconcile: ReconcileOrders;
  const line = { productId: LAPTOP, quantity: 1 };

  beforeEach(() => {
    clock = new FakeClock();
    store = new InMemoryOrderStore(clock);
    products = new InMemoryProducts(clock);
    products.stock(LAPTOP, 'Laptop', 999.99, 5);
    reconcile = new ReconcileOrders(
      { store, products, logger: createSilentLogger(), clock },
      { settleMs: 2 * MINUTE, windowMs: 24 * 60 * MINUTE, pageSize: 20 },
    );
  });

  /** A confirmed order with one line, last changed ten minutes ago (settled). */
  const confirmedOrder = (id: string) => {
    const tenMinutesAgo = new Date(clock.now() - 10 * MINUTE);
    store.put({
      id,
      userId: customer.id,
      status: 'confirmed',
      updatedAt: tenMinutesAgo,
      items: [{ ...line, id: `${id}-1` } as OrderItemEntity],
    });
  };

  it('releases a reservation whose order is missing', async () => {
    products.hold('no-such-order', [line], 'confirmed', new Date(clock.now() - 10 * MINUTE));

    const report = await reconcile.execute();

    expect(report).toMatchObject({ orphanReservations: ['no-such-order'], repaired: 1 });
    expect(products.reservations.get('no-such-order')?.status).toBe('released');
  });

  it('reserves again for a live order with no reservation', async () => {
    confirmedOrder('lost-reservation');

    const report = await reconcile.execute();

    expect(report).toMatchObject({ missingReservations: ['lost-reservation'], repaired: 1 });
    expect(products.reservations.get('lost-reservation')).toMatchObject({ status: 'confirmed', items: [expect.objectContaining(line)] });
  });

  it('reports a live order whose reservation no longer holds its lines, and takes nothing back', async () => {
    confirmedOrder('unheld');
    products.hold('unheld', [line], 'released', new Date(clock.now() - 10 * MINUTE));

    const report = await reconcile.execute();

    expect(report).toMatchObject({ unheldOrders: ['unheld'], repaired: 0 });
    expect(products.reserveCalls).toEqual([]);
    expect(products.released).toEqual([]);
  });

  it('leaves alone what has not settled yet (a placement or cancel still finishing)', async () => {
    products.hold('placing', [line], 'confirmed', new Date(clock.now() - MINUTE / 2));

    const report = await reconcile.execute();

    expect(report).toMatchObject({ orphanReservations: [], missingReservations: [], unheldOrders: [] });
  });
});
