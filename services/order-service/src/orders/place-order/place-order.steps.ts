import { randomUUID } from 'node:crypto';
import { AppError, isRefusedStatement, mayHaveReachedTarget, UpstreamRejectionError } from '@shop/errors';
import type { Logger } from '@shop/observability';
import type { ReservationDto } from '@shop/service-client';
import { stockReleaseFor } from '../../outbox/outbox-message';
import type { OrderEntity } from '../order.entity';
import { notificationFor, recipientOf } from '../order-notifications.rules';
import type { Actor, Clock, OrderClaim, OrderProducts, OrderStore } from '../order.ports';
import { priceFromReservation, PricedOrder } from '../order-pricing.rules';
import { toOrderView } from '../order.presenter';
import { normalizeLines, OrderLineInput, PlaceOrderInput, requestFingerprint, ShippingAddress } from '../order-request.rules';
import type { OrderLimits, OrderView } from '../order.schemas';
import type { OrderViews } from '../order-views.service';
import {
  abandonedMeanwhile,
  asOrderRefusal,
  cancelledMeanwhile,
  cartChangedDuringCheckout,
  idempotencyKeyInProgress,
  idempotencyKeyReused,
} from './place-order.errors';

export interface PlacementStepsDeps {
  store: OrderStore;
  products: Pick<OrderProducts, 'reserve'>;
  views: OrderViews;
  clock: Clock;
  logger: Logger;
  limits: OrderLimits;
  /** How long a request waits for an earlier one with the same Idempotency-Key to finish. */
  idempotencyWaitMs: number;
}

/** A placement's request, normalized: what is claimed, reserved and fingerprinted. */
export interface PlacementRequest {
  actor: Actor;
  lines: OrderLineInput[];
  shippingAddress?: ShippingAddress;
  idempotencyKey?: string;
  requestHash: string;
}

/** Step 1's outcome: this request's own pending order, or the order an earlier request with its key placed. */
export type Claimed = { order: OrderClaim; replay?: undefined } | { replay: OrderEntity; order?: undefined };

const IDEMPOTENCY_POLL_MS = 50;

/** The steps of PlaceOrder.execute, each with what it does when it fails. */
export class PlacementSteps {
  constructor(private readonly deps: PlacementStepsDeps) {}

  normalize(actor: Actor, input: PlaceOrderInput, idempotencyKey?: string): PlacementRequest {
    const lines = normalizeLines(input.items, this.deps.limits.maxQuantity);
    const requestHash = requestFingerprint(lines, input.shippingAddress);
    return { actor, lines, shippingAddress: input.shippingAddress, idempotencyKey, requestHash };
  }

  /**
   * Step 1. The unique (user, Idempotency-Key) lets one request claim; a repeat waits (bounded)
   * for it, then replays its order, or claims anew if that attempt failed and let go of the key.
   */
  async claim(request: PlacementRequest): Promise<Claimed> {
    const deadline = this.deps.clock.now() + this.deps.idempotencyWaitMs;
    for (;;) {
      const order: OrderClaim = {
        id: randomUUID(),
        userId: request.actor.id,
        idempotencyKey: request.idempotencyKey ?? null,
        requestHash: request.requestHash,
        shippingAddress: request.shippingAddress ?? null,
      };
      if (await this.deps.store.orders.claim(order)) return { order };
      // Only a request with an Idempotency-Key can lose the claim: an earlier one owns the key.
      if (request.idempotencyKey === undefined) throw new Error(`order ${order.id} could not be inserted`);
      const earlier = await this.awaitEarlierAttempt(request.actor.id, request.idempotencyKey, request.requestHash, deadline);
      if (earlier) return { replay: earlier };
    }
  }

  /** The earlier order of a replayed Idempotency-Key, as the API shows it. */
  show(order: OrderEntity): Promise<OrderView> {
    return this.deps.views.view(order);
  }

  /** Step 2; when it fails, the order is given up before the error goes on. */
  async reserve(order: OrderClaim, lines: readonly OrderLineInput[]): Promise<ReservationDto> {
    try {
      return await this.deps.products.reserve(order.id, lines, { confirm: true });
    } catch (err) {
      // The Product service refused (it reserved nothing) or never got the call: the claim just goes.
      if (err instanceof UpstreamRejectionError || !mayHaveReachedTarget(err)) throw await this.dropClaim(order.id, err);
      // A timeout or a lost connection: the stock may be held, unseen.
      await this.giveUp(order.id);
      throw err;
    }
  }

  /** Step 3; a reservation that does not match the order gives it up (its stock is held). */
  async price(order: OrderClaim, lines: readonly OrderLineInput[], reservation: ReservationDto): Promise<PricedOrder> {
    try {
      return priceFromReservation(lines, reservation);
    } catch (err) {
      await this.giveUp(order.id);
      throw err;
    }
  }

  /**
   * Step 4: one statement and one commit. For a checkout it takes the ordered lines out of the
   * cart too: a checkout is then never answered with an error after its order committed (a retry
   * would order the cart again), nor leaves the lines behind; and it confirms only while those
   * lines are still there as read, so two checkouts of one cart place one order.
   */
  async confirm(
    claim: OrderClaim,
    priced: PricedOrder,
    customer: Actor,
    fromCart?: { cartLines: readonly OrderLineInput[] },
  ): Promise<OrderView> {
    const order = { id: claim.id, userId: claim.userId, totalAmount: priced.totalAmount };
    let confirmed;
    try {
      confirmed = await this.deps.store.orders.confirmWithItems(
        claim.id,
        priced.items,
        priced.totalAmount,
        notificationFor(order, 'confirmed', recipientOf(customer)),
        fromCart?.cartLines ?? [],
      );
    } catch (err) {
      // The server refused the statement: it rolled back, the order is still pending. Any other
      // failure (a lost connection, an ambiguous COMMIT) may come after the commit: then nothing
      // is undone, and an order really left pending is given up by the stale-order sweeper.
      if (isRefusedStatement(err)) await this.giveUp(claim.id);
      throw err;
    }
    // The cart this checkout read is not there any more (a second checkout of it, an edit):
    // nothing was written, so the order is given up and its stock released.
    if (confirmed === 'cart-changed') {
      await this.giveUp(claim.id);
      throw cartChangedDuringCheckout();
    }
    // Cancelled or abandoned meanwhile: whoever moved it off `pending` queued its stock release.
    if (!confirmed) throw await this.overtaken(claim.id);
    // Product data is the GET's: the answer to placing shows the order as written.
    return toOrderView(
      { ...order, status: 'confirmed', shippingAddress: claim.shippingAddress, items: priced.items, ...confirmed },
      new Map(),
    );
  }

  /** Removes a claim for which nothing was reserved; the error to answer with. */
  private async dropClaim(orderId: string, err: unknown): Promise<unknown> {
    const removed = await this.deps.store.orders.deletePending(orderId).catch((cleanupErr: unknown) => {
      this.deps.logger.warn({ err: cleanupErr, orderId }, 'could not remove a refused order; the stale-order sweeper will');
      return undefined;
    });
    // No longer pending: a cancel overtook the placement (its release reached the Product
    // service first, which then refused this reserve), and that is the answer, not the refusal.
    if (removed === false) return this.overtaken(orderId);
    return err instanceof UpstreamRejectionError ? asOrderRefusal(err) : err;
  }

  /**
   * pending → abandoned with its stock release in the outbox, in one commit; the relay releases
   * the stock and then removes the order. If even that commit fails, the order stays pending and
   * the stale-order sweeper gives it up later.
   */
  private async giveUp(orderId: string): Promise<void> {
    // Up to twice: what failed is often a connection the server ended, and the pool can hand that
    // same connection out once more before it notices (measured: failure-paths.spec.ts). The
    // change is conditional on `pending`, so a second try is harmless.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.deps.store.transaction(async ({ orders, outbox }) => {
          if (await orders.setStatus(orderId, 'pending', 'abandoned')) await outbox.enqueue(stockReleaseFor(orderId));
        });
        return;
      } catch (err) {
        if (attempt < 2) continue;
        this.deps.logger.error({ err, orderId }, 'could not give up a failed placement; the stale-order sweeper will');
        return;
      }
    }
  }

  /** Why the order left `pending` under its placement: cancelled, or given up by the sweeper. */
  private async overtaken(orderId: string): Promise<AppError> {
    const status = await this.deps.store.orders
      .statusesOf([orderId])
      .then((statuses) => statuses.get(orderId))
      .catch(() => undefined);
    return status === 'cancelled' ? cancelledMeanwhile(orderId) : abandonedMeanwhile(orderId);
  }

  /**
   * Waits (bounded, polling) for the request that owns this Idempotency-Key to finish. Returns
   * its order, or null when it failed and its order was removed.
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
      if (earlier.requestHash !== requestHash) throw idempotencyKeyReused();
      if (earlier.status !== 'pending' && earlier.status !== 'abandoned') return this.deps.store.orders.findById(earlier.id);
      if (this.deps.clock.now() >= deadline) throw idempotencyKeyInProgress();
      await this.deps.clock.sleep(IDEMPOTENCY_POLL_MS);
    }
  }
}
