import { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { ok } from '@shop/contracts';
import { requireRole, validate } from '@shop/express-kit';
import { orderIdParamsSchema, updateOrderStatusBodySchema } from '../order.schemas';
import type { ChangeOrderStatus } from './change-order-status.use-case';

/** PATCH /api/orders/:id/status (admins) */
export function changeOrderStatusRoute(router: Router, changeOrderStatus: ChangeOrderStatus, authenticate: RequestHandler): void {
  router.patch(
    '/:id/status',
    authenticate,
    requireRole('admin'),
    validate({ params: orderIdParamsSchema, body: updateOrderStatusBodySchema }),
    async (req, res) => {
      const { status } = req.body as z.infer<typeof updateOrderStatusBodySchema>;
      const order = await changeOrderStatus.execute(req.params.id as string, status);
      res.json(ok({ order }, `Order ${status}`));
    },
  );
}
