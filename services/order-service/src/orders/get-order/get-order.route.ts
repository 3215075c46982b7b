import { RequestHandler, Router } from 'express';
import { ok } from '@shop/contracts';
import { currentUser, validate } from '@shop/express-kit';
import { orderIdParamsSchema } from '../order.schemas';
import type { GetOrder } from './get-order.use-case';

/** GET /api/orders/:id */
export function getOrderRoute(router: Router, getOrder: GetOrder, authenticate: RequestHandler): void {
  router.get('/:id', authenticate, validate({ params: orderIdParamsSchema }), async (req, res) => {
    const result = await getOrder.execute(currentUser(req), req.params.id as string);
    res.json(ok({ order: result.order, partial: result.partial }));
  });
}
