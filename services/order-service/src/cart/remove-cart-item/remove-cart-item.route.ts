import { RequestHandler, Router } from 'express';
import { ok } from '@shop/contracts';
import { currentUser, validate } from '@shop/express-kit';
import { cartProductParamsSchema } from '../cart.schemas';
import type { RemoveCartItem } from './remove-cart-item.use-case';

/** DELETE /api/cart/items/:productId */
export function removeCartItemRoute(router: Router, removeCartItem: RemoveCartItem, authenticate: RequestHandler): void {
  router.delete('/items/:productId', authenticate, validate({ params: cartProductParamsSchema }), async (req, res) => {
    res.json(ok(await removeCartItem.execute(currentUser(req).id, req.params.productId as string), 'Removed from the cart'));
  });
}
