import { RequestHandler, Router } from 'express';
import { cancelOrderRoute } from './cancel-order/cancel-order.route';
import { changeOrderStatusRoute } from './change-order-status/change-order-status.route';
import { getOrderRoute } from './get-order/get-order.route';
import { listOrdersRoute } from './list-orders/list-orders.route';
import type { OrderUseCases } from './order-use-cases';
import { OrderLimits, orderRequestSchemas } from './order.schemas';
import { placeOrderRoute } from './place-order/place-order.route';

export interface OrderRoutesDeps {
  orders: OrderUseCases;
  /** requireUser(...) bound to the User service. */
  authenticate: RequestHandler;
  limits: OrderLimits;
}

/** `/api/orders`: each use case's route (HTTP only: validate, execute, send the envelope), beside its use case. */
export function orderRoutes({ orders, authenticate, limits }: OrderRoutesDeps): Router {
  const router = Router();
  placeOrderRoute(router, orders.placeOrder, authenticate, orderRequestSchemas(limits));
  listOrdersRoute(router, orders.listOrders, authenticate);
  getOrderRoute(router, orders.getOrder, authenticate);
  cancelOrderRoute(router, orders.cancelOrder, authenticate);
  changeOrderStatusRoute(router, orders.changeOrderStatus, authenticate);
  return router;
}
