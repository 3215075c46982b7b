import { createSilentLogger } from '@shop/observability';
import type { Actor } from '../order.ports';
import { createOrderUseCases } from '../order-use-cases';
import { FakeClock } from './fake-clock.test-helpers';
import { InMemoryOrderStore } from './in-memory-order-store.test-helpers';
import { InMemoryProducts } from './in-memory-products.test-helpers';

export const LAPTOP = '00000000-0000-4000-8000-00000000000a';
export const MOUSE = '00000000-0000-4000-8000-00000000000b';

export const customer: Actor = { id: 'user-ada', role: 'customer', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' };
export const admin: Actor = { id: 'user-admin', role: 'admin' };

/**
 * The order use cases on in-memory ports: the order store (orders, outbox, transactions), the
 * Product service (a laptop and a mouse in stock) and a clock that moves only when told.
 */
export function orderWorld() {
  const clock = new FakeClock();
  const store = new InMemoryOrderStore(clock);
  const products = new InMemoryProducts(clock);
  products.stock(LAPTOP, 'Laptop', 999.99, 5);
  products.stock(MOUSE, 'Mouse', 25.5, 10);
  const logger = createSilentLogger();
  const useCases = createOrderUseCases({
    store,
    products,
    logger,
    limits: { maxLines: 50, maxQuantity: 100 },
    idempotencyWaitMs: 1_000,
    releaseGraceMs: 1_000,
    clock,
  });
  return { clock, store, products, logger, ...useCases };
}

export type OrderWorld = ReturnType<typeof orderWorld>;

/** A world whose customer has placed one order of `laptops` laptops (confirmed). */
export async function orderWorldWithAnOrder(laptops: number): Promise<{ world: OrderWorld; orderId: string }> {
  const world = orderWorld();
  const placed = await world.placeOrder.execute(customer, { items: [{ productId: LAPTOP, quantity: laptops }] });
  return { world, orderId: placed.order.id };
}
