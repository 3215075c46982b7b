import { RequestHandler, Router } from 'express';
import { ok } from '@shop/contracts';
import { currentUser } from '@shop/express-kit';
import type { GetCart } from './get-cart.use-case';

/** GET /api/cart */
export function getCartRoute(router: Router, getCart: GetCart, authenticate: RequestHandler): void {
  router.get('/', authenticate, async (req, res) => {
    res.json(ok(await getCart.execute(currentUser(req).id)));
  });
}
