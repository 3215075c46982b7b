import type { ProductServiceClient } from '@shop/service-client';
import type { OrderStore } from './order-store';
import type { StockReleasePayload } from '../outbox/outbox-message';
import { stockReleaseFor } from '../outbox/outbox-message';
import { Deliver, oneByOne } from '../outbox/outbox-relay';

export interface OrderRecoveryDeps {
  store: OrderStore;
  products: ProductServiceClient;
}

/**
 * The ends of placements that did not finish, and of cancels: giving stock back, always after
 * the order's own state says so (`abandoned` or `cancelled`, committed with the release in the
 * outbox), never before.
 */
export class OrderRecovery {
  constructor(private readonly deps: OrderRecoveryDeps) {}

  /**
   * The outbox's `stock-release` messages: release at the Product service (idempotent; an
   * order it never reserved for is marked released there, so a late reserve is refused), then
   * remove the order if its placement was abandoned — only now is its stock known to be back,
   * and removing it frees its Idempotency-Key for a retry.
   */
  readonly releaseStock: Deliver = oneByOne(async (message) => {
    const { orderId } = message.payload as StockReleasePayload;
    await this.deps.products.release(orderId);
    await this.deps.store.orders.deleteAbandoned(orderId);
  });

  /**
   * Gives up every placement still `pending` after `staleAfterMs` (its process died, or it
   * could not even record its failure): `abandoned`, with its stock release queued, in one
   * commit. A placement still running finds its order no longer pending and fails. Returns the
   * orders given up.
   */
  abandonStale(staleAfterMs: number, limit = 100): Promise<string[]> {
    return this.deps.store.transaction(async ({ orders, outbox }) => {
      const ids = await orders.abandonStale(staleAfterMs, limit);
      for (const id of ids) await outbox.enqueue(stockReleaseFor(id));
      return ids;
    });
  }
}
