import type { Logger } from '@shop/observability';
import { lookupProducts, ProductLookup } from '../products/product-lookup';
import type { OrderEntity } from './order.entity';
import { orderNotFound } from './order.errors';
import type { Actor, OrderProducts, OrderStore } from './order.ports';
import { toOrderView } from './order.presenter';
import type { OrderView } from './order.schemas';

export interface OrderViewsDeps {
  store: OrderStore;
  products: Pick<OrderProducts, 'getProducts'>;
  logger: Logger;
}

/**
 * Orders as their owner (or an admin) sees them, enriched with the products as they are now:
 * one batch call for a whole page. Without the Product service the answer is `partial`
 * (`products` is null). Every use case that answers with an order reads it here.
 */
export class OrderViews {
  constructor(private readonly deps: OrderViewsDeps) {}

  /** The order a caller may see: its own (any, for an admin); someone else's does not exist, as far as the caller can tell. */
  async findVisible(actor: Actor, orderId: string): Promise<OrderEntity> {
    const order = await this.deps.store.orders.findById(orderId);
    if (!order || order.status === 'abandoned' || (order.userId !== actor.id && actor.role !== 'admin')) throw orderNotFound(orderId);
    return order;
  }

  async view(order: OrderEntity): Promise<OrderView> {
    const full = order.items ? order : await this.deps.store.orders.findById(order.id);
    if (!full) throw orderNotFound(order.id);
    return toOrderView(full, await this.lookup([full]));
  }

  lookup(orders: readonly OrderEntity[]): Promise<ProductLookup> {
    const ids = orders.flatMap((o) => (o.items ?? []).map((i) => i.productId));
    return lookupProducts(this.deps.products, ids, this.deps.logger);
  }
}
