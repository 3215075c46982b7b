import { AppError, ConflictError, NotFoundError, UnprocessableError, UpstreamRejectionError } from '@shop/errors';

/** The refusals of placing an order (and of a checkout, which is one). */

/**
 * A placement overtaken by its own order's cancel (by its customer or an admin): the answer is
 * this service's, whatever the Product service said of a reservation released before it came.
 */
export const cancelledMeanwhile = (orderId: string) =>
  new ConflictError(`Order ${orderId} was cancelled while it was being placed`, { code: 'ORDER_CANCELLED' });

/** A placement whose order was given up under it (it outlived STALE_ORDER_AFTER_MS). */
export const abandonedMeanwhile = (orderId: string) =>
  new ConflictError(`Order ${orderId} was given up before its placement finished; place it again`, { code: 'ORDER_STATUS_CONFLICT' });

/** A checkout whose cart lines another checkout took, or the customer changed, before it committed. */
export const cartChangedDuringCheckout = () =>
  new ConflictError('The cart changed while it was being checked out (another checkout or an edit); nothing was ordered', {
    code: 'CART_CHANGED',
  });

export const idempotencyKeyReused = () =>
  new UnprocessableError('This Idempotency-Key was already used for a different order', { code: 'IDEMPOTENCY_KEY_REUSED' });

export const idempotencyKeyInProgress = () =>
  new ConflictError('An order with this Idempotency-Key is still being placed, retry shortly', {
    code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
    headers: { 'Retry-After': '1' },
  });

/**
 * The Product service's refusals as this API states them: unknown and inactive products are
 * one 404 naming each of them; anything else (409 insufficient stock) passes on as it came.
 */
export function asOrderRefusal(err: UpstreamRejectionError): AppError {
  if (err.code !== 'PRODUCT_NOT_FOUND' && err.code !== 'PRODUCT_INACTIVE') return err;
  const ids = (err.details ?? []).map((d) => (d as { productId?: unknown }).productId).filter((id): id is string => typeof id === 'string');
  return new NotFoundError(`${ids.length === 1 ? 'Product' : 'Products'} not found: ${ids.join(', ')}`, {
    code: 'PRODUCT_NOT_FOUND',
    details: ids.map((productId) => ({ path: 'body.items', message: `product ${productId} does not exist or is not for sale`, productId })),
  });
}
