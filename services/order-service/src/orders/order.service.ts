import type { Logger } from '@shop/observability';
import type { ProductServiceClient } from '@shop/service-client';
import type { OrderStore } from './order-store';
import { OrderLifecycle } from './order-lifecycle';
import { OrderListPage, OrderListQuery, OrderReads } from './order-reads';
import type { PlaceOrderInput } from './order-request.rules';
import type { OrderStatus } from './order-status.rules';
import type { OrderLimits, OrderView } from './order.schemas';
import { Actor, FromCart, PlacedOrder, PlaceOrder } from './place-order';

export type { Actor, FromCart, PlacedOrder };

export interface OrderServiceDeps {
  store: OrderStore;
  products: ProductServiceClient;
  logger: Logger;
  limits: OrderLimits;
  /** How long a request waits for an earlier one with the same Idempotency-Key to finish. */
  idempotencyWaitMs: number;
  /** How long a cancel's stock release waits in the outbox for the cancel's own attempt. */
  releaseGraceMs: number;
}

/**
 * What the routes and the cart ask of orders. Each rule has its own file beside this one:
 * placing (place-order.ts), status changes and cancels (order-lifecycle.ts), reads
 * (order-reads.ts); the background repairs are in order-recovery.ts and order-reconciliation.ts.
 */
export class OrderService {
  private readonly reads: OrderReads;
  private readonly placing: PlaceOrder;
  private readonly lifecycle: OrderLifecycle;

  constructor(deps: OrderServiceDeps) {
    this.reads = new OrderReads(deps);
    this.placing = new PlaceOrder({ ...deps, view: (order) => this.reads.view(order) });
    this.lifecycle = new OrderLifecycle(deps);
  }

  /** `fromCart`: a checkout, whose cart lines go with the order's confirmation (place-order.ts). */
  placeOrder(actor: Actor, input: PlaceOrderInput, idempotencyKey?: string, fromCart?: FromCart): Promise<PlacedOrder> {
    return this.placing.execute(actor, input, idempotencyKey, fromCart);
  }

  getOrder(actor: Actor, orderId: string): Promise<{ order: OrderView; partial: boolean }> {
    return this.reads.getOrder(actor, orderId);
  }

  listOrders(actor: Actor, query: OrderListQuery): Promise<OrderListPage> {
    return this.reads.listOrders(actor, query);
  }

  /** The order placed with this Idempotency-Key, if any (a checkout retried after the cart was emptied). */
  findByIdempotencyKey(actor: Actor, idempotencyKey: string): Promise<{ order: OrderView; requestHash: string } | null> {
    return this.reads.findPlacedByIdempotencyKey(actor, idempotencyKey);
  }

  /** The owner or an admin cancels: the cancel is committed first, its stock returns right after. */
  async cancelOrder(actor: Actor, orderId: string): Promise<OrderView> {
    await this.reads.findVisible(actor, orderId);
    return this.reads.view(await this.lifecycle.cancel(orderId));
  }

  /** An admin moves an order along the lifecycle. */
  async updateStatus(orderId: string, status: OrderStatus): Promise<OrderView> {
    return this.reads.view(await this.lifecycle.updateStatus(orderId, status));
  }
}
