import type { CartRead, CartViews } from '../cart-views.service';
import type { CartStore } from '../cart.ports';

/** Emptying the caller's cart (DELETE /api/cart). */
export class EmptyCart {
  constructor(private readonly deps: { store: CartStore; views: CartViews }) {}

  async execute(userId: string): Promise<CartRead> {
    await this.deps.store.cart.clear(userId);
    return this.deps.views.read(userId);
  }
}
