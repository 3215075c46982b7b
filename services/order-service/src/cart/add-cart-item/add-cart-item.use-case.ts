import type { OrderLimits } from '../../orders/order.schemas';
import type { CartRead, CartViews } from '../cart-views.service';
import { cartFull, productNotForSale } from '../cart.errors';
import type { CartProducts, CartStore } from '../cart.ports';

export interface AddCartItemDeps {
  store: CartStore;
  products: CartProducts;
  views: CartViews;
  limits: OrderLimits;
}

/**
 * Adding units of a product to the caller's cart (POST /api/cart/items): the product must exist
 * and be for sale (one look-up); a new line must fit the cart's limit, checked under the cart's
 * lock so two adds cannot both take the last place; the line is capped at the most units.
 */
export class AddCartItem {
  constructor(private readonly deps: AddCartItemDeps) {}

  async execute(userId: string, productId: string, quantity: number): Promise<CartRead> {
    const product = await this.deps.products.getProduct(productId);
    if (!product.isActive) throw productNotForSale(productId);
    const { maxLines, maxQuantity } = this.deps.limits;
    await this.deps.store.transaction(async ({ cart }) => {
      await cart.lock(userId);
      if (!(await cart.contains(userId, productId)) && (await cart.countLines(userId)) >= maxLines) throw cartFull(maxLines);
      await cart.add(userId, productId, quantity, maxQuantity);
    });
    return this.deps.views.read(userId);
  }
}
