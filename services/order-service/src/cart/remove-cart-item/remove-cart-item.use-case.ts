import type { CartRead, CartViews } from '../cart-views.service';
import { cartItemNotFound } from '../cart.errors';
import type { CartStore } from '../cart.ports';

/** Taking a product out of the caller's cart (DELETE /api/cart/items/:productId). */
export class RemoveCartItem {
  constructor(private readonly deps: { store: CartStore; views: CartViews }) {}

  async execute(userId: string, productId: string): Promise<CartRead> {
    if (!(await this.deps.store.cart.remove(userId, productId))) throw cartItemNotFound(productId);
    return this.deps.views.read(userId);
  }
}
