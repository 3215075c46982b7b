import { ConflictError, NotFoundError, UnprocessableError } from '@shop/errors';
import { allowedTransitions, OrderStatus, StoredOrderStatus } from './order-status.rules';

/** The refusals of the order rules, in one place. */

export const orderNotFound = (orderId: string) => new NotFoundError(`Order ${orderId} not found`, { code: 'ORDER_NOT_FOUND' });

/**
 * A placement overtaken by its own order's cancel (by its customer or an admin): the answer is
 * this service's, whatever the Product service said of a reservation released before it came.
 */
export const cancelledMeanwhile = (orderId: string) =>
  new ConflictError(`Order ${orderId} was cancelled while it was being placed`, { code: 'ORDER_CANCELLED' });

/** A placement whose order was given up under it (it outlived STALE_ORDER_AFTER_MS). */
export const abandonedMeanwhile = (orderId: string) =>
  new ConflictError(`Order ${orderId} was given up before its placement finished; place it again`, { code: 'ORDER_STATUS_CONFLICT' });

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

export const idempotencyKeyReused = () =>
  new UnprocessableError('This Idempotency-Key was already used for a different order', { code: 'IDEMPOTENCY_KEY_REUSED' });

export const idempotencyKeyInProgress = () =>
  new ConflictError('An order with this Idempotency-Key is still being placed, retry shortly', {
    code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
    headers: { 'Retry-After': '1' },
  });

function allowedList(from: StoredOrderStatus): string {
  const next = allowedTransitions(from);
  return next.length ? next.join(', ') : 'nothing (final status)';
}
