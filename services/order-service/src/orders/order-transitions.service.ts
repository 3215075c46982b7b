import type { AppError } from '@shop/errors';
import type { Logger } from '@shop/observability';
import { stockReleaseFor } from '../outbox/outbox-message';
import type { OrderEntity } from './order.entity';
import { orderNotFound } from './order.errors';
import { isAnnounced, notificationFor } from './order-notifications.rules';
import type { OrderProducts, OrderStore } from './order.ports';
import type { OrderViews } from './order-views.service';
import { canTransition, OrderStatus, StoredOrderStatus } from './order-status.rules';

export interface OrderTransitionsDeps {
  store: OrderStore;
  products: Pick<OrderProducts, 'release'>;
  logger: Logger;
  /** How long the stock release of a cancel waits in the outbox before the relay tries it (the cancel tries it first). */
  releaseGraceMs: number;
}

/** What a use case that changes an order's status needs: the move, and the view of its result. */
export interface StatusChangeDeps {
  views: OrderViews;
  transitions: OrderTransitions;
}

/**
 * Status changes after placement (cancel-order and change-order-status). Each is one short
 * transaction under the order's row lock — check the lifecycle (order-status.rules.ts), change
 * the status, queue the email and, for a cancel, the stock release — and no remote call while it
 * is open. A cancel then tries the release itself so the stock is back at once in the usual
 * case; if the Product service cannot take it now, the outbox relay retries it until done.
 */
export class OrderTransitions {
  constructor(private readonly deps: OrderTransitionsDeps) {}

  /** Moves the order to `to` in one commit with what must follow it; `illegal` says why a move the lifecycle forbids is refused. */
  moveTo(orderId: string, to: OrderStatus, illegal: (from: StoredOrderStatus) => AppError): Promise<OrderEntity> {
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

  /**
   * The release the outbox holds for this cancelled order, tried now; a failure leaves it to the
   * relay. `orderId` is the stored id, as moveTo queued the release under it (a caller's may be
   * spelt otherwise).
   */
  async releaseNow(orderId: string): Promise<void> {
    try {
      // One attempt, so the answer waits at most one call timeout; the relay does the retrying.
      await this.deps.products.release(orderId, { retry: false });
      await this.deps.store.outbox.markSentByDedupeKey(stockReleaseFor(orderId).dedupeKey);
    } catch (err) {
      this.deps.logger.warn({ err, orderId }, 'stock of a cancelled order not released yet: the outbox relay will retry');
    }
  }
}
