import { ServiceUnavailableError } from '@shop/errors';
import { FakeClock } from '../testing/fake-clock.test-helpers';
import { InMemoryOrderStore } from '../testing/in-memory-order-store.test-helpers';
import { InMemoryProducts } from '../testing/in-memory-products.test-helpers';
import { customer, LAPTOP } from '../testing/order-world.test-helpers';
import { AbandonStaleOrders } from './abandon-stale-orders.use-case';
import { ReleaseStock } from './release-stock.use-case';

const STALE_AFTER_MS = 60_000;

/** The end of placements that never finished: given up by the sweeper, then their stock released by the relay. */
describe('AbandonStaleOrders and ReleaseStock', () => {
  let clock: FakeClock;
  let store: InMemoryOrderStore;
  let products: InMemoryProducts;

  beforeEach(() => {
    clock = new FakeClock();
    store = new InMemoryOrderStore(clock);
    products = new InMemoryProducts(clock);
    products.stock(LAPTOP, 'Laptop', 999.99, 5);
  });

  it('gives up a placement pending past the limit, queuing its release in the same commit; a young one goes on', async () => {
    store.put({ id: 'stale', userId: customer.id, status: 'pending' });
    clock.advance(STALE_AFTER_MS + 1);
    store.put({ id: 'young', userId: customer.id, status: 'pending' });

    expect(await new AbandonStaleOrders({ store }).execute(STALE_AFTER_MS)).toEqual(['stale']);

    expect(store.order('stale')?.status).toBe('abandoned');
    expect(store.order('young')?.status).toBe('pending');
    expect(store.messages('stock-release')).toEqual([expect.objectContaining({ payload: { orderId: 'stale' } })]);
  });

  it('removes an abandoned order only once its stock is back', async () => {
    products.hold('stale', [{ productId: LAPTOP, quantity: 1 }]);
    store.put({ id: 'stale', userId: customer.id, status: 'abandoned' });
    const releaseStock = new ReleaseStock({ store, products });
    const release = products.release.bind(products);
    products.release = () => Promise.reject(new ServiceUnavailableError('product-service'));

    await expect(releaseStock.execute('stale')).rejects.toMatchObject({ status: 503 });
    expect(store.order('stale')?.status).toBe('abandoned');

    products.release = release;
    await releaseStock.execute('stale');
    expect(store.order('stale')).toBeUndefined();
  });
});
