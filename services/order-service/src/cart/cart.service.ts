import { NotFoundError, UnprocessableError } from '@shop/errors';
import type { Logger } from '@shop/observability';
import type { ProductServiceClient } from '@shop/service-client';
import type { CartStore } from './cart-store';
import { fromCents, lineTotal, toCents } from '../orders/money.rules';
import { idempotencyKeyReused } from '../orders/place-order/place-order.errors';
import { normalizeLines, requestFingerprint, type ShippingAddress } from '../orders/order-request.rules';
import type { OrderLimits, OrderView } from '../orders/order.schemas';
import type { Actor } from '../orders/order.ports';
import type { OrderUseCases } from '../orders/order-use-cases';
import type { PlacedOrder } from '../orders/place-order/place-order.use-case';
import { lookupProducts, ProductLookup } from '../products/product-lookup';
import type { CartItemEntity } from './cart-item.entity';
import type { CartView } from './cart.schemas';

export interface CartServiceDeps {
  store: CartStore;
  products: ProductServiceClient;
  orders: Pick<OrderUseCases, 'placeOrder' | 'getOrderByIdempotencyKey'>;
  logger: Logger;
  limits: OrderLimits;
}

export interface CartRead {
  cart: CartView;
  partial: boolean;
}

/** A user's cart, kept in PostgreSQL; checkout turns it into an order through the PlaceOrder use case. */
export class CartService {
  constructor(private readonly deps: CartServiceDeps) {}

  getCart(userId: string): Promise<CartRead> {
    return this.read(userId);
  }

  /** Adds units of a product (after one look-up: it must exist and be for sale). */
  async addItem(userId: string, productId: string, quantity: number): Promise<CartRead> {
    const product = await this.deps.products.getProduct(productId);
    if (!product.isActive) throw new NotFoundError(`Product not found: ${productId}`, { code: 'PRODUCT_NOT_FOUND' });
    const { maxLines, maxQuantity } = this.deps.limits;
    await this.deps.store.transaction(async ({ cart }) => {
      await cart.lock(userId);
      if (!(await cart.contains(userId, productId)) && (await cart.countLines(userId)) >= maxLines) {
        throw new UnprocessableError(`A cart holds at most ${maxLines} different products`, { code: 'CART_FULL' });
      }
      await cart.add(userId, productId, quantity, maxQuantity);
    });
    return this.read(userId);
  }

  async setQuantity(userId: string, productId: string, quantity: number): Promise<CartRead> {
    if (!(await this.deps.store.cart.setQuantity(userId, productId, quantity))) throw itemNotFound(productId);
    return this.read(userId);
  }

  async removeItem(userId: string, productId: string): Promise<CartRead> {
    if (!(await this.deps.store.cart.remove(userId, productId))) throw itemNotFound(productId);
    return this.read(userId);
  }

  async clear(userId: string): Promise<CartRead> {
    await this.deps.store.cart.clear(userId);
    return this.read(userId);
  }

  /**
   * Places an order for what the cart holds, through the same use case as
   * POST /api/orders. The ordered lines leave the cart in the commit that confirms the order, so
   * the cart is emptied exactly when an order is placed: an error never follows a placed order
   * (a client told to retry would order the cart twice). On any failure (e.g. 409 insufficient
   * stock) the cart is left as it was.
   */
  async checkout(actor: Actor, shippingAddress: ShippingAddress | undefined, idempotencyKey?: string): Promise<PlacedOrder> {
    // The key names a checkout, not the cart's content: its repeat answers the order it placed
    // and leaves alone whatever was put in the cart since.
    const earlier = idempotencyKey ? await this.earlierCheckout(actor, shippingAddress, idempotencyKey) : null;
    if (earlier) return { order: earlier, created: false };
    const lines = (await this.deps.store.cart.list(actor.id)).map(({ productId, quantity }) => ({ productId, quantity }));
    if (lines.length === 0) throw new UnprocessableError('The cart is empty', { code: 'CART_EMPTY' });
    return this.deps.orders.placeOrder.execute(actor, { items: lines, shippingAddress }, idempotencyKey, { cartLines: lines });
  }

  /**
   * The order an earlier request with this key placed, if this checkout repeats it. The cart may
   * hold other lines by now, so the earlier order's own lines stand in for them: the key's stored
   * fingerprint must match them with this request's address, as placing an order requires.
   */
  private async earlierCheckout(
    actor: Actor,
    shippingAddress: ShippingAddress | undefined,
    idempotencyKey: string,
  ): Promise<OrderView | null> {
    const found = await this.deps.orders.getOrderByIdempotencyKey.execute(actor, idempotencyKey);
    if (!found) return null;
    const { order: earlier, requestHash } = found;
    const lines = normalizeLines(earlier.items, Number.POSITIVE_INFINITY);
    if (requestFingerprint(lines, shippingAddress) !== requestHash) {
      throw idempotencyKeyReused();
    }
    return earlier;
  }

  private async read(userId: string): Promise<CartRead> {
    const items = await this.deps.store.cart.list(userId);
    const products = await lookupProducts(
      this.deps.products,
      items.map((i) => i.productId),
      this.deps.logger,
    );
    return { cart: toCartView(items, products), partial: products === null };
  }
}

function toCartView(items: readonly CartItemEntity[], products: ProductLookup): CartView {
  let subtotal = 0;
  const views = items.map((item) => {
    const product = products?.get(item.productId) ?? null;
    // A product that is gone or no longer for sale shows, but costs nothing until it is back.
    const unit = product?.isActive ? toCents(product.price) : null;
    const line = unit === null ? null : lineTotal(unit, item.quantity);
    if (line !== null) subtotal += line;
    return {
      productId: item.productId,
      quantity: item.quantity,
      product,
      unitPrice: unit === null ? null : fromCents(unit),
      lineTotal: line === null ? null : fromCents(line),
    };
  });
  return {
    items: views,
    itemCount: items.reduce((units, item) => units + item.quantity, 0),
    subtotal: products === null ? null : fromCents(subtotal),
  };
}

function itemNotFound(productId: string): NotFoundError {
  return new NotFoundError(`Product ${productId} is not in the cart`, { code: 'CART_ITEM_NOT_FOUND' });
}
