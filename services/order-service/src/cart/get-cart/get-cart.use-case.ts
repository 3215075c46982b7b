import type { CartRead, CartViews } from '../cart-views.service';

/** The caller's cart (GET /api/cart). */
export class GetCart {
  constructor(private readonly deps: { views: CartViews }) {}

  execute(userId: string): Promise<CartRead> {
    return this.deps.views.read(userId);
  }
}
