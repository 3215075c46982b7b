import { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { ok } from '@shop/errors';
import { currentUser, validate } from '@shop/express-kit';
import { idempotencyKeyOf, sendPlacedOrder } from '../orders/order-http';
import type { OrderLimits } from '../orders/order.schemas';
import { cartProductParamsSchema, cartRequestSchemas } from './cart.schemas';
import type { CartService } from './cart.service';

export interface CartRoutesDeps {
  cart: CartService;
  authenticate: RequestHandler;
  limits: OrderLimits;
}

/** `/api/cart`: the caller's own cart. HTTP only. */
export function cartRoutes({ cart, authenticate, limits }: CartRoutesDeps): Router {
  const router = Router();
  const schemas = cartRequestSchemas(limits);

  router.get('/', authenticate, async (req, res) => {
    res.json(ok(await cart.getCart(currentUser(req).id)));
  });

  router.post('/items', authenticate, validate({ body: schemas.addItem }), async (req, res) => {
    const { productId, quantity } = req.body as z.infer<typeof schemas.addItem>;
    res.json(ok(await cart.addItem(currentUser(req).id, productId, quantity), 'Added to the cart'));
  });

  router.patch(
    '/items/:productId',
    authenticate,
    validate({ params: cartProductParamsSchema, body: schemas.setQuantity }),
    async (req, res) => {
      const { quantity } = req.body as z.infer<typeof schemas.setQuantity>;
      res.json(ok(await cart.setQuantity(currentUser(req).id, req.params.productId as string, quantity), 'Quantity changed'));
    },
  );

  router.delete('/items/:productId', authenticate, validate({ params: cartProductParamsSchema }), async (req, res) => {
    res.json(ok(await cart.removeItem(currentUser(req).id, req.params.productId as string), 'Removed from the cart'));
  });

  router.delete('/', authenticate, async (req, res) => {
    res.json(ok(await cart.clear(currentUser(req).id), 'Cart cleared'));
  });

  router.post('/checkout', authenticate, validate({ body: schemas.checkout }), async (req, res) => {
    const key = idempotencyKeyOf(req);
    const { shippingAddress } = req.body as z.infer<typeof schemas.checkout>;
    sendPlacedOrder(res, await cart.checkout(currentUser(req), shippingAddress, key));
  });

  return router;
}
