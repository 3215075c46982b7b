import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, BadGatewayError, ConflictError, NotFoundError, UnprocessableError, UpstreamRejectionError } from '@shop/errors';
import type { AuthenticatedUser } from '@shop/express-kit';
import type { Logger } from '@shop/observability';
import type { ProductDto, ProductServiceClient, ReservationDto, ReservationStatus } from '@shop/service-client';
import type { Store } from '../database';
import type { NewOutboxMessage } from '../outbox/outbox.repository';
import { lookupProducts, ProductLookup } from '../products/product-lookup';
import { centsToDecimal, fromCents, lineTotal, sumCents, toCents } from './money';
import { normalizeLines, OrderLineInput, PlaceOrderInput, requestFingerprint } from './order-request';
import { allowedTransitions, canTransition, OrderStatus } from './order-status';
import type { NewOrderItem, Page, StalePendingOrder } from './order.repository';
import type { OrderEntity } from './order.entity';
import type { OrderLimits, OrderView } from './order.schemas';
import { toOrderView } from './order.presenter';

export type Actor = Pick<AuthenticatedUser, 'id' | 'role'>;

export interface OrderServiceDeps {
  store: Store;
  products: ProductServiceClient;
  logger: Logger;
  limits: OrderLimits;
  /** How long a request waits for an earlier one with the same Idempotency-Key to finish. */
  idempotencyWaitMs: number;
}

export interface PlacedOrder {
  order: OrderView;
  /** False when an earlier request with the same Idempotency-Key had already placed it. */
  created: boolean;
}

/** What recovering one stale order came to (see OrderService.recoverStaleOrder). */
export type StaleOrderOutcome =
  | {
      order: StalePendingOrder;
      recovered: true;
      /** The reservation's status after the release (`released`, or `expired` when the TTL had already returned it); `none` when nothing was reserved. */
      reservation: ReservationStatus | 'none';
    }
  | { order: StalePendingOrder; recovered: false; error: unknown };

const IDEMPOTENCY_POLL_MS = 50;

/**
 * The order rules: placing an order across the Product service and our database without
 * overselling or leaving anything half-done, reading orders, and moving them along the
 * lifecycle of order-status.ts.
 */
export class OrderService {
  constructor(private readonly deps: OrderServiceDeps) {}

  /**
   * Places an order (DESIGN.md, "Order creation: what must hold"):
   * claim the order id (and the Idempotency-Key) → read the products in one call → reserve the
   * stock under the order id → write the items priced from the reservation → confirm.
   * Whatever fails after the reservation was asked for releases it and removes the order.
   */
  async placeOrder(actor: Actor, input: PlaceOrderInput, idempotencyKey?: string): Promise<PlacedOrder> {
    const lines = normalizeLines(input.items, this.deps.limits.maxQuantity);
    const requestHash = requestFingerprint(lines, input.shippingAddress);
    const deadline = Date.now() + this.deps.idempotencyWaitMs;
    for (;;) {
      const orderId = randomUUID();
      const claimed = await this.deps.store.orders.claim({
        id: orderId,
        userId: actor.id,
        idempotencyKey: idempotencyKey ?? null,
        requestHash,
        shippingAddress: input.shippingAddress ?? null,
      });
      if (claimed) return { order: await this.fulfil(orderId, lines), created: true };
      // Only a request with an Idempotency-Key can lose the claim: an earlier one owns the key.
      if (idempotencyKey === undefined) throw new Error(`order ${orderId} could not be inserted`);
      const earlier = await this.awaitEarlierAttempt(actor.id, idempotencyKey, requestHash, deadline);
      if (earlier) return { order: await this.view(earlier), created: false };
      // The earlier attempt failed and let go of the key: this request makes its own attempt.
    }
  }

  /** The order placed with this Idempotency-Key, if any (a checkout retried after the cart was emptied). */
  async findByIdempotencyKey(actor: Actor, idempotencyKey: string): Promise<OrderView | null> {
    const order = await this.deps.store.orders.findByIdempotencyKey(actor.id, idempotencyKey);
    if (!order || order.status === 'pending') return null;
    const full = await this.deps.store.orders.findById(order.id);
    return full ? this.view(full) : null;
  }

  async getOrder(actor: Actor, orderId: string): Promise<{ order: OrderView; partial: boolean }> {
    const order = await this.findVisible(actor, orderId);
    const products = await this.lookup([order]);
    return { order: toOrderView(order, products), partial: products === null };
  }

  async listOrders(actor: Actor, page: Page): Promise<{ orders: OrderView[]; total: number; partial: boolean }> {
    const { orders, total } = await this.deps.store.orders.listByUser(actor.id, page);
    const products = await this.lookup(orders);
    return { orders: orders.map((o) => toOrderView(o, products)), total, partial: products === null };
  }

  /** The owner or an admin cancels: the stock goes back first, then the status changes. */
  async cancelOrder(actor: Actor, orderId: string): Promise<OrderView> {
    await this.findVisible(actor, orderId);
    const order = await this.moveTo(
      orderId,
      'cancelled',
      (from) => new ConflictError(`Order ${orderId} is ${from} and can no longer be cancelled`, { code: 'ORDER_STATUS_CONFLICT' }),
    );
    return this.view(order);
  }

  /** An admin moves an order along the lifecycle (a cancel here is the same as cancelOrder's). */
  async updateStatus(orderId: string, status: OrderStatus): Promise<OrderView> {
    const order = await this.moveTo(
      orderId,
      status,
      (from) =>
        new ConflictError(`An order cannot go from ${from} to ${status}`, {
          code: 'INVALID_STATUS_TRANSITION',
          details: [{ path: 'body.status', message: `from ${from} the order may only go to: ${allowedList(from)}` }],
        }),
    );
    return this.view(order);
  }

  /**
   * Recovers one placement that never finished: its process died half-way, or it failed and its
   * compensation failed too (a confirmed reservation is never returned by the Product service's
   * TTL, and until the order is gone its Idempotency-Key answers IDEMPOTENCY_KEY_IN_PROGRESS).
   * Under the row lock of the oldest order still `pending` after `staleAfterMs`: give its stock
   * back, and only once that succeeded remove the order (its items go with it), which frees the
   * key for a retry to place the order anew. When the release fails nothing changes, so a later
   * round tries again. Null when no order (outside `exclude`) is stale.
   *
   * A placement still running past `staleAfterMs` cannot interleave: while it changes its order
   * it holds the lock (and this skips the row); otherwise its next write finds the order gone and
   * it compensates as for any failure (releasing again is harmless).
   */
  recoverStaleOrder(staleAfterMs: number, exclude: readonly string[] = []): Promise<StaleOrderOutcome | null> {
    return this.deps.store.transaction(async (repos): Promise<StaleOrderOutcome | null> => {
      const order = await repos.orders.lockStalePending(staleAfterMs, exclude);
      if (!order) return null;
      let reservation: ReservationStatus | 'none';
      try {
        reservation = (await this.deps.products.release(order.id)).status;
      } catch (err) {
        // Not found: the placement died before its reservation was made; nothing is held.
        if (!(err instanceof UpstreamRejectionError && err.status === 404 && err.code === 'RESERVATION_NOT_FOUND')) {
          return { order, recovered: false, error: err };
        }
        reservation = 'none';
      }
      await repos.orders.deletePending(order.id);
      return { order, recovered: true, reservation };
    });
  }

  // ------------------------------------------------------------------ placing an order

  private async fulfil(orderId: string, lines: OrderLineInput[]): Promise<OrderView> {
    let stage: 'checking' | 'reserving' | 'reserved' = 'checking';
    try {
      const products = await this.deps.products.getProducts(lines.map((l) => l.productId));
      const byId = new Map(products.map((p) => [p.id, p]));
      assertAllAvailable(lines, byId);

      stage = 'reserving';
      const reservation = await this.deps.products.reserve(orderId, lines);
      stage = 'reserved';
      const items = priceFromReservation(lines, reservation);
      const total = sumCents(items.map((i) => toCents(i.lineTotal)));
      const written = await this.deps.store.transaction((repos) => repos.orders.addItems(orderId, items, centsToDecimal(total)));
      if (!written) throw cancelledMeanwhile(orderId);

      await this.moveTo(orderId, 'confirmed', () => cancelledMeanwhile(orderId));
      const order = await this.deps.store.orders.findById(orderId);
      if (!order) throw cancelledMeanwhile(orderId);
      return toOrderView(order, byId);
    } catch (err) {
      // A refusal of the reservation (409 insufficient stock, 404) means nothing was reserved.
      // Any other failure from then on (a timeout or lost connection included: the reservation
      // may have happened unseen) may leave stock held, so it is released.
      const refused = stage === 'reserving' && err instanceof UpstreamRejectionError;
      await this.abandon(orderId, stage !== 'checking' && !refused);
      throw err;
    }
  }

  /**
   * Compensation: give the stock back, then remove the order. If the release fails too, the
   * Product service's reservation TTL returns an unconfirmed reservation's stock on its own.
   */
  private async abandon(orderId: string, stockMayBeHeld: boolean): Promise<void> {
    if (stockMayBeHeld) {
      try {
        await this.deps.products.release(orderId);
      } catch (err) {
        if (!(err instanceof UpstreamRejectionError && err.status === 404)) {
          this.deps.logger.error({ err, orderId }, 'could not release the stock of a failed order; the reservation TTL will return it');
        }
      }
    }
    try {
      await this.deps.store.orders.deletePending(orderId);
    } catch (err) {
      this.deps.logger.error({ err, orderId }, 'could not remove a failed order');
    }
  }

  /**
   * Waits (bounded, polling) for the request that owns this Idempotency-Key to finish. Returns
   * its order, or null when it failed and removed its claim.
   */
  private async awaitEarlierAttempt(
    userId: string,
    idempotencyKey: string,
    requestHash: string,
    deadline: number,
  ): Promise<OrderEntity | null> {
    for (;;) {
      const earlier = await this.deps.store.orders.findByIdempotencyKey(userId, idempotencyKey);
      if (!earlier) return null;
      if (earlier.requestHash !== requestHash) {
        throw new UnprocessableError('This Idempotency-Key was already used for a different order', { code: 'IDEMPOTENCY_KEY_REUSED' });
      }
      if (earlier.status !== 'pending') return this.deps.store.orders.findById(earlier.id);
      if (Date.now() >= deadline) {
        throw new ConflictError('An order with this Idempotency-Key is still being placed, retry shortly', {
          code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
          headers: { 'Retry-After': '1' },
        });
      }
      await sleep(IDEMPOTENCY_POLL_MS);
    }
  }

  // ------------------------------------------------------------------ the lifecycle

  /**
   * The one way a status changes. Under a row lock: check the lifecycle table, do what the
   * Product service must do for the new status (confirm or release the stock — both idempotent),
   * then change the status and queue the notification in one transaction. If the Product service
   * call fails, the transaction rolls back and nothing changed; concurrent changes of the same
   * order wait for the lock and then see the new status.
   */
  private moveTo(orderId: string, to: OrderStatus, illegal: (from: OrderStatus) => AppError): Promise<OrderEntity> {
    return this.deps.store.transaction(async (repos) => {
      const order = await repos.orders.lockById(orderId);
      if (!order) throw orderNotFound(orderId);
      if (!canTransition(order.status, to)) throw illegal(order.status);
      await this.applyStockEffect(order.id, to);
      if (!(await repos.orders.setStatus(order.id, order.status, to))) throw illegal(order.status);
      await repos.outbox.enqueue(notificationFor(order, to));
      order.status = to;
      return order;
    });
  }

  private async applyStockEffect(orderId: string, to: OrderStatus): Promise<void> {
    if (to === 'confirmed') await this.deps.products.confirm(orderId);
    if (to === 'cancelled') {
      try {
        await this.deps.products.release(orderId);
      } catch (err) {
        // A pending order whose reservation was never made has nothing to give back.
        if (!(err instanceof UpstreamRejectionError && err.status === 404)) throw err;
      }
    }
  }

  // ------------------------------------------------------------------ reading

  private async findVisible(actor: Actor, orderId: string): Promise<OrderEntity> {
    const order = await this.deps.store.orders.findById(orderId);
    // Someone else's order does not exist, as far as this caller can tell.
    if (!order || (order.userId !== actor.id && actor.role !== 'admin')) throw orderNotFound(orderId);
    return order;
  }

  private async view(order: OrderEntity): Promise<OrderView> {
    const full = order.items ? order : await this.deps.store.orders.findById(order.id);
    if (!full) throw orderNotFound(order.id);
    return toOrderView(full, await this.lookup([full]));
  }

  private lookup(orders: readonly OrderEntity[]): Promise<ProductLookup> {
    const ids = orders.flatMap((o) => (o.items ?? []).map((i) => i.productId));
    return lookupProducts(this.deps.products, ids, this.deps.logger);
  }
}

/** Unknown and inactive products are refused together, by id, before any stock is touched. */
function assertAllAvailable(lines: readonly OrderLineInput[], products: ReadonlyMap<string, ProductDto>): void {
  const missing = lines.filter((l) => !products.get(l.productId)?.isActive).map((l) => l.productId);
  if (missing.length === 0) return;
  throw new NotFoundError(`${missing.length === 1 ? 'Product' : 'Products'} not found: ${missing.join(', ')}`, {
    code: 'PRODUCT_NOT_FOUND',
    details: missing.map((productId) => ({
      path: 'body.items',
      message: `product ${productId} does not exist or is not for sale`,
      productId,
    })),
  });
}

/** Prices come from the reservation (the Product service's price at that moment), never from the client. */
function priceFromReservation(lines: readonly OrderLineInput[], reservation: ReservationDto): NewOrderItem[] {
  const reserved = new Map(reservation.items.map((r) => [r.productId, r]));
  return lines.map((line) => {
    const r = reserved.get(line.productId);
    if (!r || r.quantity !== line.quantity) {
      throw new BadGatewayError(
        'product-service',
        `The Product service's reservation does not match the order (product ${line.productId})`,
      );
    }
    const unit = toCents(r.unitPrice);
    return {
      productId: line.productId,
      productName: r.name,
      unitPrice: centsToDecimal(unit),
      quantity: line.quantity,
      lineTotal: centsToDecimal(lineTotal(unit, line.quantity)),
    };
  });
}

const NOTIFICATION_TEXT: Partial<Record<OrderStatus, { title: string; sentence: string }>> = {
  confirmed: { title: 'Order confirmed', sentence: 'has been confirmed' },
  cancelled: { title: 'Order cancelled', sentence: 'has been cancelled' },
  shipped: { title: 'Order shipped', sentence: 'has been shipped' },
  delivered: { title: 'Order delivered', sentence: 'has been delivered' },
};

/** The email for a status change; its dedupe key makes it one per order and status, ever. */
function notificationFor(order: OrderEntity, status: OrderStatus): NewOutboxMessage {
  const text = NOTIFICATION_TEXT[status] ?? { title: `Order ${status}`, sentence: `is now ${status}` };
  const total = fromCents(toCents(order.totalAmount)).toFixed(2);
  return {
    dedupeKey: `order-${status}:${order.id}`,
    payload: {
      userId: order.userId,
      title: text.title,
      description: `Your order #${order.id} ${text.sentence}. Total: $${total}`,
      notificationType: 'email',
      metadata: { orderId: order.id, status, totalAmount: Number(total) },
      dedupeKey: `order-${status}:${order.id}`,
    },
  };
}

function orderNotFound(orderId: string): NotFoundError {
  return new NotFoundError(`Order ${orderId} not found`, { code: 'ORDER_NOT_FOUND' });
}

function cancelledMeanwhile(orderId: string): ConflictError {
  return new ConflictError(`Order ${orderId} was cancelled while it was being placed`, { code: 'ORDER_STATUS_CONFLICT' });
}

function allowedList(from: OrderStatus): string {
  const next = allowedTransitions(from);
  return next.length ? next.join(', ') : 'nothing (final status)';
}
