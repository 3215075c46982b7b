import { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { ok } from '@shop/contracts';
import { currentUser, validate } from '@shop/express-kit';
import type { CartRequestSchemas } from '../cart.schemas';
import type { AddCartItem } from './add-cart-item.use-case';

/** POST /api/cart/items */
export function addCartItemRoute(
  router: Router,
  addCartItem: AddCartItem,
  authenticate: RequestHandler,
  body: CartRequestSchemas['addItem'],
): void {
  router.post('/items', authenticate, validate({ body }), async (req, res) => {
    const { productId, quantity } = req.body as z.infer<typeof body>;
    res.json(ok(await addCartItem.execute(currentUser(req).id, productId, quantity), 'Added to the cart'));
  });
}
