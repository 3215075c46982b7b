import { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { ok, paginationOf } from '@shop/errors';
import { currentUser, requireRole, validate } from '@shop/express-kit';
import { idempotencyKeyOf, sendPlacedOrder } from './order-http';
import { OrderIdParamsSchema, OrderLimits, OrderListQuerySchema, orderRequestSchemas, UpdateStatusSchema } from './order.schemas';
import type { OrderService } from './order.service';

export interface OrderRoutesDeps {
  orders: OrderService;
  /** requireUser(...) bound to the User service. */
  authenticate: RequestHandler;
  limits: OrderLimits;
}

/** `/api/orders`: HTTP only — validate, call OrderService, send the envelope. */
export function orderRoutes({ orders, authenticate, limits }: OrderRoutesDeps): Router {
  const router = Router();
  const schemas = orderRequestSchemas(limits);

  router.post('/', authenticate, validate({ body: schemas.createOrder }), async (req, res) => {
    const key = idempotencyKeyOf(req);
    sendPlacedOrder(res, await orders.placeOrder(currentUser(req), req.body as z.infer<typeof schemas.createOrder>, key));
  });

  router.get('/', authenticate, validate({ query: OrderListQuerySchema }), async (req, res) => {
    const query = req.query as unknown as z.infer<typeof OrderListQuerySchema>;
    const result = await orders.listOrders(currentUser(req), query);
    const pagination = { ...paginationOf({ page: result.page, limit: query.limit }, result.total), nextCursor: result.nextCursor };
    res.json(ok({ orders: result.orders, pagination, partial: result.partial }));
  });

  router.get('/:id', authenticate, validate({ params: OrderIdParamsSchema }), async (req, res) => {
    const result = await orders.getOrder(currentUser(req), req.params.id as string);
    res.json(ok({ order: result.order, partial: result.partial }));
  });

  router.post('/:id/cancel', authenticate, validate({ params: OrderIdParamsSchema }), async (req, res) => {
    const order = await orders.cancelOrder(currentUser(req), req.params.id as string);
    res.json(ok({ order }, 'Order cancelled'));
  });

  router.patch(
    '/:id/status',
    authenticate,
    requireRole('admin'),
    validate({ params: OrderIdParamsSchema, body: UpdateStatusSchema }),
    async (req, res) => {
      const { status } = req.body as z.infer<typeof UpdateStatusSchema>;
      const order = await orders.updateStatus(req.params.id as string, status);
      res.json(ok({ order }, `Order ${status}`));
    },
  );

  return router;
}
