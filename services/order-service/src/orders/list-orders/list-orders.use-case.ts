import { PAGINATION } from '@shop/contracts';
import type { Actor, OrderStore } from '../order.ports';
import { toOrderView } from '../order.presenter';
import type { OrderView } from '../order.schemas';
import type { OrderViews } from '../order-views.service';
import { decodeOrderListCursor, encodeOrderListCursor } from './order-list-cursor';

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

/**
 * A page of the caller's orders, by number or by the cursor the previous page gave out (which
 * wins when both are sent: it knows its page number). Either way the page costs the same however
 * long the caller's history; by cursor a deep page does too.
 */
export class ListOrders {
  constructor(private readonly deps: { store: OrderStore; views: OrderViews }) {}

  async execute(actor: Actor, query: OrderListQuery): Promise<OrderListPage> {
    const cursor = query.cursor === undefined ? undefined : decodeOrderListCursor(query.cursor);
    const page = cursor?.page ?? query.page;
    const { orders, total, next } = await this.deps.store.orders.listByUser(actor.id, {
      limit: query.limit,
      offset: (page - 1) * query.limit,
      after: cursor,
    });
    const products = await this.deps.views.lookup(orders);
    return {
      orders: orders.map((o) => toOrderView(o, products)),
      page,
      total,
      // Past PAGINATION.maxPage a page can only be asked by number, and that is refused.
      nextCursor: next && page < PAGINATION.maxPage ? encodeOrderListCursor({ ...next, page: page + 1 }) : null,
      partial: products === null,
    };
  }
}
