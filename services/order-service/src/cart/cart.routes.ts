import { RequestHandler, Router } from 'express';
import type { OrderLimits } from '../orders/order.schemas';
import { addCartItemRoute } from './add-cart-item/add-cart-item.route';
import type { CartUseCases } from './cart-use-cases';
import { cartRequestSchemas } from './cart.schemas';
import { checkoutRoute } from './checkout/checkout.route';
import { emptyCartRoute } from './empty-cart/empty-cart.route';
import { getCartRoute } from './get-cart/get-cart.route';
import { removeCartItemRoute } from './remove-cart-item/remove-cart-item.route';
import { setCartItemQuantityRoute } from './set-cart-item-quantity/set-cart-item-quantity.route';

export interface CartRoutesDeps {
  cart: CartUseCases;
  /** requireUser(...) bound to the User service. */
  authenticate: RequestHandler;
  limits: OrderLimits;
}

/** `/api/cart`, the caller's own cart: each use case's route (HTTP only), beside its use case. */
export function cartRoutes({ cart, authenticate, limits }: CartRoutesDeps): Router {
  const router = Router();
  const schemas = cartRequestSchemas(limits);
  getCartRoute(router, cart.getCart, authenticate);
  addCartItemRoute(router, cart.addCartItem, authenticate, schemas.addItem);
  setCartItemQuantityRoute(router, cart.setCartItemQuantity, authenticate, schemas.setQuantity);
  removeCartItemRoute(router, cart.removeCartItem, authenticate);
  emptyCartRoute(router, cart.emptyCart, authenticate);
  checkoutRoute(router, cart.checkout, authenticate, schemas.checkout);
  return router;
}
