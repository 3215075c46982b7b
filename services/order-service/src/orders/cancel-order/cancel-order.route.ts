import { RequestHandler, Router } from 'express';
import { ok } from '@shop/contracts';
import { currentUser, validate } from '@shop/express-kit';
import { orderIdParamsSchema } from '../order.schemas';
import type { CancelOrder } from './cancel-order.use-case';

/** POST /api/orders/:id/cancel */
export function cancelOrderRoute(router: Router, cancelOrder: CancelOrder, authenticate: RequestHandler): void {
  router.post('/:id/cancel', authenticate, validate({ params: orderIdParamsSchema }), async (req, res) => {
    const order = await cancelOrder.execute(currentUser(req), req.params.id as string);
    res.json(ok({ order }, 'Order cancelled'));
  });
}
