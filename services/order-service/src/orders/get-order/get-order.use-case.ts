import type { Actor } from '../order.ports';
import { toOrderView } from '../order.presenter';
import type { OrderView } from '../order.schemas';
import type { OrderViews } from '../order-views.service';

/** One order, as its owner or an admin reads it; `partial` when the Product service could not add its products. */
export class GetOrder {
  constructor(private readonly deps: { views: OrderViews }) {}

  async execute(actor: Actor, orderId: string): Promise<{ order: OrderView; partial: boolean }> {
    const order = await this.deps.views.findVisible(actor, orderId);
    const products = await this.deps.views.lookup([order]);
    return { order: toOrderView(order, products), partial: products === null };
  }
}
