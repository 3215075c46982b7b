import { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { ok } from '@shop/contracts';
import { currentUser, validate } from '@shop/express-kit';
import { cartProductParamsSchema, type CartRequestSchemas } from '../cart.schemas';
import type { SetCartItemQuantity } from './set-cart-item-quantity.use-case';

/** PATCH /api/cart/items/:productId */
export function setCartItemQuantityRoute(
  router: Router,
  setCartItemQuantity: SetCartItemQuantity,
  authenticate: RequestHandler,
  body: CartRequestSchemas['setQuantity'],
): void {
  router.patch('/items/:productId', authenticate, validate({ params: cartProductParamsSchema, body }), async (req, res) => {
    const { quantity } = req.body as z.infer<typeof body>;
    res.json(ok(await setCartItemQuantity.execute(currentUser(req).id, req.params.productId as string, quantity), 'Quantity changed'));
  });
}
