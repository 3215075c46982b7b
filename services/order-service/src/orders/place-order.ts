import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, isRefusedStatement, mayHaveReachedTarget, NotFoundError, UpstreamRejectionError } from '@shop/errors';
import type { AuthenticatedUser } from '@shop/internal-auth';
import type { Logger } from '@shop/observability';
import type { ProductServiceClient, ReservationDto } from '@shop/service-client';
import type { OrderStore } from './order-store';
import { stockReleaseFor } from '../outbox/outbox-message';
import { abandonedMeanwhile, cancelledMeanwhile, idempotencyKeyInProgress, idempotencyKeyReused } from './order.errors';
import { notificationFor, recipientOf } from './order-notifications.rules';
import { priceFromReservation } from './order-pricing.rules';
import { normalizeLines, OrderLineInput, PlaceOrderInput, requestFingerprint } from './order-request.rules';
import type { OrderClaim } from './order.repository';
import type { OrderEntity } from './order.entity';
import type { OrderLimits, OrderView } from './order.schemas';
import { toOrderView } from './order.presenter';

/** Who acts; the contact fields, known from the token check, address the customer's own emails. */
export type Actor = Pick<AuthenticatedUser, 'id' | 'role'> & Partial<Pick<AuthenticatedUser, 'email' | 'firstName' | 'lastName'>>;

export interface PlacedOrder {
  order: OrderView;
  /** False when an earlier request with the same Idempotency-Key had already placed it. */
  created: boolean;
}

/** A placement that checks out a cart: the lines to take out of it when, and only if, the order is confirmed. */
export interface FromCart {
  cartLines: readonly OrderLineInput[];
}

export interface PlaceOrderDeps {
  store: OrderStore;
  products: ProductServiceClient;
  logger: Logger;
  limits: OrderLimits;
  /** How long a request waits for an earlier one with the same Idempotency-Key to finish. */
  idempotencyWaitMs: number;
  /** Reads an order the way the API shows it (for a replayed Idempotency-Key). */
  view: (order: OrderEntity) => Promise<OrderView>;
}

const IDEMPOTENCY_POLL_MS = 50;

/**
 * Placing an order (docs/architecture.md, "Placing an order"), in three steps:
 *   1. claim: the order row, `pending`, with its Idempotency-Key — from here on a crash leaves a
 *      record that the stale-order sweeper finishes;
 *   2. reserve: one call to the Product service checks, prices and holds every line, or none;
 *   3. confirm: the status, total, items and the confirmation email (outbox) in one commit, and
 *      for a checkout the cart lines it ordered: a checkout is then never answered with an error
 *      after its order committed (a retry would order the cart again), nor leaves the lines.
 * If step 2 fails, the order is given up: removed when the Product service refused (it reserved
 * nothing) or never got the call, otherwise `abandoned` with its stock release queued in the
 * same commit (the stock may be held, unseen).
 * Once step 3 may have committed, nothing is undone.
 */
export class PlaceOrder {
  constructor(private readonly deps: PlaceOrderDeps) {}

  async execute(actor: Actor, input: PlaceOrderInput, idempotencyKey?: string, fromCart?: FromCart): Promise<PlacedOrder> {
    const lines = normalizeLines(input.items, this.deps.limits.maxQuantity);
    const requestHash = requestFingerprint(lines, input.shippingAddress);
    const deadline = Date.now() + this.deps.idempotencyWaitMs;
    for (;;) {
      const claim: OrderClaim = {
        id: randomUUID(),
        userId: actor.id,
        idempotencyKey: idempotencyKey ?? null,
        requestHash,
        shippingAddress: input.shippingAddress ?? null,
      };
      if (await this.deps.store.orders.claim(claim)) return { order: await this.fulfil(claim, lines, actor, fromCart), created: true };
      // Only a request with an Idempotency-Key can lose the claim: an earlier one owns the key.
      if (idempotencyKey === undefined) throw new Error(`order ${claim.id} could not be inserted`);
      const earlier = await this.awaitEarlierAttempt(actor.id, idempotencyKey, requestHash, deadline);
      if (earlier) return { order: await this.deps.view(earlier), created: false };
      // The earlier attempt failed and let go of the key: this request makes its own attempt.
    }
  }

  private async fulfil(claim: OrderClaim, lines: OrderLineInput[], customer: Actor, fromCart?: FromCart): Promise<OrderView> {
    const reservation = await this.reserve(claim.id, lines);
    let priced;
    try {
      priced = priceFromReservation(lines, reservation);
    } catch (err) {
      await this.giveUp(claim.id);
      throw err;
    }
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
    // Cancelled or abandoned meanwhile: whoever moved it off `pending` queued its stock release.
    if (!confirmed) throw await this.overtaken(claim.id);
    // Product data is the GET's: the answer to placing shows the order as written.
    return toOrderView(
      { ...order, status: 'confirmed', shippingAddress: claim.shippingAddress, items: priced.items, ...confirmed },
      new Map(),
    );
  }

  /** Step 2; when it fails, the order is given up before the error goes on. */
  private async reserve(orderId: string, lines: OrderLineInput[]): Promise<ReservationDto> {
    try {
      return await this.deps.products.reserve(orderId, lines, { confirm: true });
    } catch (err) {
      if (err instanceof UpstreamRejectionError || !mayHaveReachedTarget(err)) {
        // The Product service refused (it reserved nothing) or never got the call: the claim just goes.
        const removed = await this.deps.store.orders.deletePending(orderId).catch((cleanupErr: unknown) => {
          this.deps.logger.warn({ err: cleanupErr, orderId }, 'could not remove a refused order; the stale-order sweeper will');
          return undefined;
        });
        // No longer pending: a cancel overtook the placement (its release reached the Product
        // service first, which then refused this reserve), and that is the answer, not the refusal.
        if (removed === false) throw await this.overtaken(orderId);
        throw err instanceof UpstreamRejectionError ? asOrderRefusal(err) : err;
      }
      // A timeout or a lost connection: the stock may be held, unseen.
      await this.giveUp(orderId);
      throw err;
    }
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
      if (Date.now() >= deadline) throw idempotencyKeyInProgress();
      await sleep(IDEMPOTENCY_POLL_MS);
    }
  }
}

/**
 * The Product service's refusals as this API states them: unknown and inactive products are
 * one 404 naming each of them; anything else (409 insufficient stock) passes on as it came.
 */
function asOrderRefusal(err: UpstreamRejectionError): AppError {
  if (err.code !== 'PRODUCT_NOT_FOUND' && err.code !== 'PRODUCT_INACTIVE') return err;
  const ids = (err.details ?? []).map((d) => (d as { productId?: unknown }).productId).filter((id): id is string => typeof id === 'string');
  return new NotFoundError(`${ids.length === 1 ? 'Product' : 'Products'} not found: ${ids.join(', ')}`, {
    code: 'PRODUCT_NOT_FOUND',
    details: ids.map((productId) => ({ path: 'body.items', message: `product ${productId} does not exist or is not for sale`, productId })),
  });
}
