import { RequestHandler, Router } from 'express';
import { ok } from '@shop/contracts';
import { currentUser } from '@shop/express-kit';
import type { EmptyCart } from './empty-cart.use-case';

/** DELETE /api/cart */
export function emptyCartRoute(router: Router, emptyCart: EmptyCart, authenticate: RequestHandler): void {
  router.delete('/', authenticate, async (req, res) => {
    res.json(ok(await emptyCart.execute(currentUser(req).id), 'Cart cleared'));
  });
}
