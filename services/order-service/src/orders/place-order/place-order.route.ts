import { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { currentUser, validate } from '@shop/express-kit';
import { idempotencyKeyOf, sendPlacedOrder } from '../order-http';
import type { orderRequestSchemas } from '../order.schemas';
import type { PlaceOrder } from './place-order.use-case';

/** POST /api/orders (Idempotency-Key optional) */
export function placeOrderRoute(
  router: Router,
  placeOrder: PlaceOrder,
  authenticate: RequestHandler,
  schemas: ReturnType<typeof orderRequestSchemas>,
): void {
  router.post('/', authenticate, validate({ body: schemas.createOrder }), async (req, res) => {
    const key = idempotencyKeyOf(req);
    sendPlacedOrder(res, await placeOrder.execute(currentUser(req), req.body as z.infer<typeof schemas.createOrder>, key));
  });
}
