import type { Logger } from '@shop/observability';
import { CancelOrder } from './cancel-order/cancel-order.use-case';
import { ChangeOrderStatus } from './change-order-status/change-order-status.use-case';
import { GetOrderByIdempotencyKey } from './get-order/get-order-by-idempotency-key.use-case';
import { GetOrder } from './get-order/get-order.use-case';
import { ListOrders } from './list-orders/list-orders.use-case';
import { Clock, OrderProducts, OrderStore, systemClock } from './order.ports';
import type { OrderLimits } from './order.schemas';
import { OrderTransitions } from './order-transitions.service';
import { OrderViews } from './order-views.service';
import { PlaceOrder } from './place-order/place-order.use-case';

export interface OrderUseCaseDeps {
  store: OrderStore;
  products: OrderProducts;
  logger: Logger;
  limits: OrderLimits;
  /** How long a request waits for an earlier one with the same Idempotency-Key to finish. */
  idempotencyWaitMs: number;
  /** How long a cancel's stock release waits in the outbox for the cancel's own attempt. */
  releaseGraceMs: number;
  clock?: Clock;
}

/** The order use cases, built on one set of ports (the routes and the cart's checkout call them). */
export function createOrderUseCases(deps: OrderUseCaseDeps) {
  const clock = deps.clock ?? systemClock;
  const views = new OrderViews(deps);
  const transitions = new OrderTransitions(deps);
  return {
    placeOrder: new PlaceOrder({ ...deps, clock, views }),
    getOrder: new GetOrder({ views }),
    getOrderByIdempotencyKey: new GetOrderByIdempotencyKey({ store: deps.store, views }),
    listOrders: new ListOrders({ store: deps.store, views }),
    cancelOrder: new CancelOrder({ views, transitions }),
    changeOrderStatus: new ChangeOrderStatus({ views, transitions }),
  };
}

export type OrderUseCases = ReturnType<typeof createOrderUseCases>;
