import type { AppError } from '@shop/errors';
import type { Logger } from '@shop/observability';
import type { ProductServiceClient } from '@shop/service-client';
import type { OrderStore } from './order-store';
import { stockReleaseFor } from '../outbox/outbox-message';
import { illegalTransition, notCancellable, orderNotFound } from './order.errors';
import { notificationFor } from './order-notifications.rules';
import { canTransition, OrderStatus, StoredOrderStatus } from './order-status.rules';
import type { OrderEntity } from './order.entity';

export interface OrderLifecycleDeps {
  store: OrderStore;
  products: ProductServiceClient;
  logger: Logger;
  /** How long the stock release of a cancel waits in the outbox before the relay tries it (the cancel tries it first). */
  releaseGraceMs: number;
}

/**
 * Status changes after placement. Each is one short transaction under the order's row lock —
 * check the lifecycle (order-status.ts), change the status, queue the email and, for a cancel,
 * the stock release — and no remote call while it is open. A cancel then tries the release
 * itself so the stock is back at once in the usual case; if the Product service cannot take it
 * now, the outbox relay retries it until done. The cancel stands either way.
 */
export class OrderLifecycle {
  constructor(private readonly deps: OrderLifecycleDeps) {}

  /** The caller has already been allowed to see the order (OrderReads.findVisible). */
  async cancel(orderId: string): Promise<OrderEntity> {
    const order = await this.moveTo(orderId, 'cancelled', (from) => notCancellable(orderId, from));
    // The stored id, as moveTo queued the release under it (the caller's may be spelt otherwise).
    await this.releaseNow(order.id);
    return order;
  }

  /** An admin moves an order along the lifecycle (a cancel here is the same as cancel's). */
  async updateStatus(orderId: string, status: OrderStatus): Promise<OrderEntity> {
    const order = await this.moveTo(orderId, status, (from) => illegalTransition(from, status));
    if (status === 'cancelled') await this.releaseNow(order.id);
    return order;
  }

  private moveTo(orderId: string, to: OrderStatus, illegal: (from: StoredOrderStatus) => AppError): Promise<OrderEntity> {
    return this.deps.store.transaction(async ({ orders, outbox }) => {
      const order = await orders.lockById(orderId);
      if (!order || order.status === 'abandoned') throw orderNotFound(orderId);
      if (!canTransition(order.status, to)) throw illegal(order.status);
      await orders.setStatus(order.id, order.status, to);
      if (to === 'cancelled') await outbox.enqueue(stockReleaseFor(order.id, this.deps.releaseGraceMs));
      if (isAnnounced(order.status, to)) await outbox.enqueue(notificationFor(order, to));
      order.status = to;
      return order;
    });
  }

  /** The release the outbox holds for this order, tried now; a failure leaves it to the relay. */
  private async releaseNow(orderId: string): Promise<void> {
    try {
      // One attempt, so the answer waits at most one call timeout; the relay does the retrying.
      await this.deps.products.release(orderId, { retry: false });
      await this.deps.store.outbox.markSentByDedupeKey(stockReleaseFor(orderId).dedupeKey);
    } catch (err) {
      this.deps.logger.warn({ err, orderId }, 'stock of a cancelled order not released yet: the outbox relay will retry');
    }
  }
}

/**
 * Whether a status change is emailed to the customer. A cancel of a `pending` order is not: it
 * was never confirmed, so the customer was never told of it and it has no total yet (the email
 * would say $0.00); whoever cancelled it, the customer in the usual case, has the cancel's answer.
 */
function isAnnounced(from: StoredOrderStatus, to: OrderStatus): boolean {
  return !(from === 'pending' && to === 'cancelled');
}
