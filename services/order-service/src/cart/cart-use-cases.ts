import type { Logger } from '@shop/observability';
import type { OrderLimits } from '../orders/order.schemas';
import { AddCartItem } from './add-cart-item/add-cart-item.use-case';
import { CartViews } from './cart-views.service';
import type { CartOrders, CartProducts, CartStore } from './cart.ports';
import { Checkout } from './checkout/checkout.use-case';
import { EmptyCart } from './empty-cart/empty-cart.use-case';
import { GetCart } from './get-cart/get-cart.use-case';
import { RemoveCartItem } from './remove-cart-item/remove-cart-item.use-case';
import { SetCartItemQuantity } from './set-cart-item-quantity/set-cart-item-quantity.use-case';

export interface CartUseCaseDeps {
  store: CartStore;
  products: CartProducts;
  orders: CartOrders;
  logger: Logger;
  limits: OrderLimits;
}

/** The cart use cases, built on one set of ports (the routes call them). */
export function createCartUseCases(deps: CartUseCaseDeps) {
  const views = new CartViews(deps);
  return {
    getCart: new GetCart({ views }),
    addCartItem: new AddCartItem({ ...deps, views }),
    setCartItemQuantity: new SetCartItemQuantity({ ...deps, views }),
    removeCartItem: new RemoveCartItem({ ...deps, views }),
    emptyCart: new EmptyCart({ ...deps, views }),
    checkout: new Checkout(deps),
  };
}

export type CartUseCases = ReturnType<typeof createCartUseCases>;
