import { PAGINATION } from '@shop/errors';
import type { Logger } from '@shop/observability';
import type { ProductServiceClient } from '@shop/service-client';
import type { OrderStore } from './order-store';
import { lookupProducts, ProductLookup } from '../products/product-lookup';
import { orderNotFound } from './order.errors';
import { decodeOrderListCursor, encodeOrderListCursor } from './order-list-cursor';
import type { OrderEntity } from './order.entity';
import type { OrderView } from './order.schemas';
import { toOrderView } from './order.presenter';
import type { Actor } from './place-order';

/** What the orders list is asked: a page number, or the `nextCursor` of the previous page. */
export interface OrderListQuery {
  page: number;
  limit: number;
  cursor?: string;
}

export interface OrderListPage {
  orders: OrderView[];
  page: number;
  total: number;
  nextCursor: string | null;
  partial: boolean;
}

export interface OrderReadsDeps {
  store: OrderStore;
  products: ProductServiceClient;
  logger: Logger;
}

/**
 * Orders as their owner (or an admin) reads them, enriched with the products as they are now:
 * one batch call for a whole page. Without the Product service the answer is `partial`.
 */
export class OrderReads {
  constructor(private readonly deps: OrderReadsDeps) {}

  async getOrder(actor: Actor, orderId: string): Promise<{ order: OrderView; partial: boolean }> {
    const order = await this.findVisible(actor, orderId);
    const products = await this.lookup([order]);
    return { order: toOrderView(order, products), partial: products === null };
  }

  /**
   * A page of the caller's orders, by number or by the cursor the previous page gave out (which
   * wins when both are sent: it knows its page number). Either way the page costs the same
   * however long the caller's history; by cursor a deep page does too.
   */
  async listOrders(actor: Actor, query: OrderListQuery): Promise<OrderListPage> {
    const cursor = query.cursor === undefined ? undefined : decodeOrderListCursor(query.cursor);
    const page = cursor?.page ?? query.page;
    const { orders, total, next } = await this.deps.store.orders.listByUser(actor.id, {
      limit: query.limit,
      offset: (page - 1) * query.limit,
      after: cursor,
    });
    const products = await this.lookup(orders);
    return {
      orders: orders.map((o) => toOrderView(o, products)),
      page,
      total,
      // Past PAGINATION.maxPage a page can only be asked by number, and that is refused.
      nextCursor: next && page < PAGINATION.maxPage ? encodeOrderListCursor({ ...next, page: page + 1 }) : null,
      partial: products === null,
    };
  }

  /**
   * The order placed with this Idempotency-Key, if it was placed, and the fingerprint of the
   * request that placed it (a checkout retried after the cart was emptied compares it).
   */
  async findPlacedByIdempotencyKey(actor: Actor, idempotencyKey: string): Promise<{ order: OrderView; requestHash: string } | null> {
    const order = await this.deps.store.orders.findByIdempotencyKey(actor.id, idempotencyKey);
    if (!order || order.status === 'pending' || order.status === 'abandoned') return null;
    const full = await this.deps.store.orders.findById(order.id);
    return full ? { order: await this.view(full), requestHash: full.requestHash } : null;
  }

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

  private lookup(orders: readonly OrderEntity[]): Promise<ProductLookup> {
    const ids = orders.flatMap((o) => (o.items ?? []).map((i) => i.productId));
    return lookupProducts(this.deps.products, ids, this.deps.logger);
  }
}
