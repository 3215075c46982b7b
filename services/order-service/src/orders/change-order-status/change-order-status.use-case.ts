import { illegalTransition } from '../order.errors';
import type { OrderView } from '../order.schemas';
import type { OrderStatus } from '../order-status.rules';
import type { StatusChangeDeps } from '../order-transitions.service';

/**
 * An admin moves an order along the lifecycle (order-status.rules.ts); a cancel here is the same
 * as the customer's, stock release included. Only a placement confirms a pending order.
 */
export class ChangeOrderStatus {
  constructor(private readonly deps: StatusChangeDeps) {}

  async execute(orderId: string, status: OrderStatus): Promise<OrderView> {
    const order = await this.deps.transitions.moveTo(orderId, status, (from) => illegalTransition(from, status));
    if (status === 'cancelled') await this.deps.transitions.releaseNow(order.id);
    return this.deps.views.view(order);
  }
}
