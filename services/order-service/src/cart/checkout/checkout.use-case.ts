import type { Actor } from '../../orders/order.ports';
import { normalizeLines, requestFingerprint, type OrderLineInput, type ShippingAddress } from '../../orders/order-request.rules';
import type { OrderView } from '../../orders/order.schemas';
import { idempotencyKeyReused } from '../../orders/place-order/place-order.errors';
import type { PlacedOrder } from '../../orders/place-order/place-order.use-case';
import { cartEmpty } from '../cart.errors';
import type { CartOrders, CartStore } from '../cart.ports';

/**
 * Ordering what the caller's cart holds (POST /api/cart/checkout), through the same use case as
 * POST /api/orders:
 *   1. a repeat of an earlier checkout's Idempotency-Key answers that checkout's order;
 *   2. the cart's lines, which must be some;
 *   3. place the order; its lines leave the cart in the commit that confirms it.
 * So the cart is emptied exactly when an order is placed: an error never follows a placed order
 * (a client told to retry would order the cart twice), and on any failure (e.g. 409 insufficient
 * stock) the cart is left as it was.
 */
export class Checkout {
  constructor(private readonly deps: { store: CartStore; orders: CartOrders }) {}

  async execute(actor: Actor, shippingAddress: ShippingAddress | undefined, idempotencyKey?: string): Promise<PlacedOrder> {
    const earlier = idempotencyKey ? await this.earlierCheckout(actor, shippingAddress, idempotencyKey) : null;
    if (earlier) return { order: earlier, created: false };
    const lines = await this.cartLines(actor.id);
    return this.deps.orders.placeOrder.execute(actor, { items: lines, shippingAddress }, idempotencyKey, { cartLines: lines });
  }

  /**
   * The order an earlier request with this key placed, if this checkout repeats it. The key names
   * a checkout, not the cart's content: the cart may hold other lines by now, so the earlier
   * order's own lines stand in for them, and the key's stored fingerprint must match them with
   * this request's address, as placing an order requires.
   */
  private async earlierCheckout(
    actor: Actor,
    shippingAddress: ShippingAddress | undefined,
    idempotencyKey: string,
  ): Promise<OrderView | null> {
    const found = await this.deps.orders.getOrderByIdempotencyKey.execute(actor, idempotencyKey);
    if (!found) return null;
    const lines = normalizeLines(found.order.items, Number.POSITIVE_INFINITY);
    if (requestFingerprint(lines, shippingAddress) !== found.requestHash) throw idempotencyKeyReused();
    return found.order;
  }

  private async cartLines(userId: string): Promise<OrderLineInput[]> {
    const lines = (await this.deps.store.cart.list(userId)).map(({ productId, quantity }) => ({ productId, quantity }));
    if (lines.length === 0) throw cartEmpty();
    return lines;
  }
}
