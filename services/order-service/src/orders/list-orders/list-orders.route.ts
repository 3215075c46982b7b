import { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { ok, paginationOf } from '@shop/contracts';
import { currentUser, validate } from '@shop/express-kit';
import { orderListQuerySchema } from '../order.schemas';
import type { ListOrders } from './list-orders.use-case';

/** GET /api/orders */
export function listOrdersRoute(router: Router, listOrders: ListOrders, authenticate: RequestHandler): void {
  router.get('/', authenticate, validate({ query: orderListQuerySchema }), async (req, res) => {
    const query = req.query as unknown as z.infer<typeof orderListQuerySchema>;
    const result = await listOrders.execute(currentUser(req), query);
    const pagination = { ...paginationOf({ page: result.page, limit: query.limit }, result.total), nextCursor: result.nextCursor };
    res.json(ok({ orders: result.orders, pagination, partial: result.partial }));
  });
}
