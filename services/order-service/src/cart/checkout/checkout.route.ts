import { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { currentUser, validate } from '@shop/express-kit';
import { idempotencyKeyOf, sendPlacedOrder } from '../../orders/order-http';
import type { CartRequestSchemas } from '../cart.schemas';
import type { Checkout } from './checkout.use-case';

/** POST /api/cart/checkout (Idempotency-Key optional) */
export function checkoutRoute(
  router: Router,
  checkout: Checkout,
  authenticate: RequestHandler,
  body: CartRequestSchemas['checkout'],
): void {
  router.post('/checkout', authenticate, validate({ body }), async (req, res) => {
    const key = idempotencyKeyOf(req);
    const { shippingAddress } = req.body as z.infer<typeof body>;
    sendPlacedOrder(res, await checkout.execute(currentUser(req), shippingAddress, key));
  });
}
