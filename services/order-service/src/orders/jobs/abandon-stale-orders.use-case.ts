import { stockReleaseFor } from '../../outbox/outbox-message';
import type { OrderStore } from '../order.ports';

/**
 * Gives up every placement still `pending` after `staleAfterMs` (its process died, or it could
 * not even record its failure): `abandoned`, with its stock release queued, in one commit. No
 * remote call. A placement still running finds its order no longer pending and fails. Returns
 * the orders given up.
 */
export class AbandonStaleOrders {
  constructor(private readonly deps: { store: OrderStore }) {}

  execute(staleAfterMs: number, limit = 100): Promise<string[]> {
    return this.deps.store.transaction(async ({ orders, outbox }) => {
      const ids = await orders.abandonStale(staleAfterMs, limit);
      for (const id of ids) await outbox.enqueue(stockReleaseFor(id));
      return ids;
    });
  }
}
