import { ConflictError, NotFoundError } from '@shop/errors';
import { allowedTransitions, OrderStatus, StoredOrderStatus } from './order-status.rules';

/** The refusals of the order lifecycle, shared by its use cases (placing has its own: place-order/place-order.errors.ts). */

export const orderNotFound = (orderId: string) => new NotFoundError(`Order ${orderId} not found`, { code: 'ORDER_NOT_FOUND' });

export const notCancellable = (orderId: string, from: StoredOrderStatus) =>
  new ConflictError(`Order ${orderId} is ${from} and can no longer be cancelled`, { code: 'ORDER_STATUS_CONFLICT' });

export const illegalTransition = (from: StoredOrderStatus, to: OrderStatus) =>
  new ConflictError(
    from === 'pending' && to === 'confirmed'
      ? 'A pending order is confirmed by its own placement, not by a status change'
      : `An order cannot go from ${from} to ${to}`,
    {
      code: 'INVALID_STATUS_TRANSITION',
      details: [{ path: 'body.status', message: `from ${from} the order may only go to: ${allowedList(from)}` }],
    },
  );

function allowedList(from: StoredOrderStatus): string {
  const next = allowedTransitions(from);
  return next.length ? next.join(', ') : 'nothing (final status)';
}
