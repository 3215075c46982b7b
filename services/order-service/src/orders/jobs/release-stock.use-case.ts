import type { OrderProducts, OrderStore } from '../order.ports';

/**
 * The end of an abandoned placement or of a cancel, run by the outbox relay for each
 * `stock-release` message: release at the Product service (idempotent; an order it never
 * reserved for is marked released there, so a late reserve is refused), then remove the order
 * if its placement was abandoned — only now is its stock known to be back, and removing it
 * frees its Idempotency-Key for a retry. Stock goes back only after the order's own state says
 * so (`abandoned` or `cancelled`, committed with this message), never before.
 */
export class ReleaseStock {
  constructor(private readonly deps: { store: OrderStore; products: Pick<OrderProducts, 'release'> }) {}

  async execute(orderId: string): Promise<void> {
    await this.deps.products.release(orderId);
    await this.deps.store.orders.deleteAbandoned(orderId);
  }
}
