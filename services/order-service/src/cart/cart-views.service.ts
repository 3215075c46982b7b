import type { Logger } from '@shop/observability';
import { lookupProducts } from '../products/product-lookup';
import type { CartProducts, CartStore } from './cart.ports';
import { toCartView } from './cart.presenter';
import type { CartView } from './cart.schemas';

export interface CartRead {
  cart: CartView;
  partial: boolean;
}

/** The cart as every cart use case answers with it: its lines, with the products as they are now. */
export class CartViews {
  constructor(private readonly deps: { store: CartStore; products: CartProducts; logger: Logger }) {}

  async read(userId: string): Promise<CartRead> {
    const items = await this.deps.store.cart.list(userId);
    const products = await lookupProducts(
      this.deps.products,
      items.map((i) => i.productId),
      this.deps.logger,
    );
    return { cart: toCartView(items, products), partial: products === null };
  }
}
