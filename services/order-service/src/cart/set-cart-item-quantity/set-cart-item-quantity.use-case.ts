import type { CartRead, CartViews } from '../cart-views.service';
import { cartItemNotFound } from '../cart.errors';
import type { CartStore } from '../cart.ports';

/** Setting the units of a product already in the caller's cart (PATCH /api/cart/items/:productId). */
export class SetCartItemQuantity {
  constructor(private readonly deps: { store: CartStore; views: CartViews }) {}

  async execute(userId: string, productId: string, quantity: number): Promise<CartRead> {
    if (!(await this.deps.store.cart.setQuantity(userId, productId, quantity))) throw cartItemNotFound(productId);
    return this.deps.views.read(userId);
  }
}
