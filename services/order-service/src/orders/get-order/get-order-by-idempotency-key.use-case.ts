import type { Actor, OrderStore } from '../order.ports';
import type { OrderView } from '../order.schemas';
import type { OrderViews } from '../order-views.service';

/**
 * The order placed with this Idempotency-Key, if it was placed, and the fingerprint of the
 * request that placed it: a checkout retried after the cart was emptied compares it.
 */
export class GetOrderByIdempotencyKey {
  constructor(private readonly deps: { store: OrderStore; views: OrderViews }) {}

  async execute(actor: Actor, idempotencyKey: string): Promise<{ order: OrderView; requestHash: string } | null> {
    const order = await this.deps.store.orders.findByIdempotencyKey(actor.id, idempotencyKey);
    if (!order || order.status === 'pending' || order.status === 'abandoned') return null;
    const full = await this.deps.store.orders.findById(order.id);
    return full ? { order: await this.deps.views.view(full), requestHash: full.requestHash } : null;
  }
}
