import { notCancellable } from '../order.errors';
import type { Actor } from '../order.ports';
import type { OrderView } from '../order.schemas';
import type { StatusChangeDeps } from '../order-transitions.service';

/**
 * The owner or an admin cancels an order (docs/order-protocol.md, "Cancelling an order"): the
 * cancel and its stock release commit first, then the release is tried at once.
 */
export class CancelOrder {
  constructor(private readonly deps: StatusChangeDeps) {}

  async execute(actor: Actor, orderId: string): Promise<OrderView> {
    await this.deps.views.findVisible(actor, orderId);
    const order = await this.deps.transitions.moveTo(orderId, 'cancelled', (from) => notCancellable(orderId, from));
    await this.deps.transitions.releaseNow(order.id);
    return this.deps.views.view(order);
  }
}
