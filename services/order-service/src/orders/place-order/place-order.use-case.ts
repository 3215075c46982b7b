import type { Actor } from '../order.ports';
import type { OrderLineInput, PlaceOrderInput } from '../order-request.rules';
import type { OrderView } from '../order.schemas';
import { PlacementSteps, PlacementStepsDeps } from './place-order.steps';

export type PlaceOrderDeps = PlacementStepsDeps;

export interface PlacedOrder {
  order: OrderView;
  /** False when an earlier request with the same Idempotency-Key had already placed it. */
  created: boolean;
}

/** A placement that checks out a cart: the lines to take out of it when, and only if, the order is confirmed. */
export interface FromCart {
  cartLines: readonly OrderLineInput[];
}

/**
 * Placing an order (docs/order-protocol.md, "Placing an order"), from POST /api/orders or a
 * checkout:
 *   1. claim: the order row, `pending`, with its Idempotency-Key — from here on a crash leaves a
 *      record that the stale-order sweeper finishes; a repeat of the key gets the earlier order;
 *   2. reserve: one call to the Product service checks, prices and holds every line, or none;
 *   3. price: from the reservation, never from the client;
 *   4. confirm: the status, total, items, the confirmation email (outbox) and, for a checkout,
 *      its cart lines out, in one commit.
 * A step that fails gives the order up before the error goes on (place-order.steps.ts says how);
 * once step 4 may have committed, nothing is undone.
 */
export class PlaceOrder {
  private readonly steps: PlacementSteps;

  constructor(deps: PlaceOrderDeps) {
    this.steps = new PlacementSteps(deps);
  }

  async execute(actor: Actor, input: PlaceOrderInput, idempotencyKey?: string, fromCart?: FromCart): Promise<PlacedOrder> {
    const request = this.steps.normalize(actor, input, idempotencyKey);
    const claimed = await this.steps.claim(request);
    if (claimed.replay) return { order: await this.steps.show(claimed.replay), created: false };
    const reservation = await this.steps.reserve(claimed.order, request.lines);
    const priced = await this.steps.price(claimed.order, request.lines, reservation);
    const order = await this.steps.confirm(claimed.order, priced, actor, fromCart);
    return { order, created: true };
  }
}
