import { ValidationError } from '@shop/errors';

/** A keyset position in the held-reservations listing, opaque to clients. */
export interface HeldCursor {
  /** created_at as PostgreSQL prints it (microseconds kept: a JS Date would round them away). */
  createdAt: string;
  orderId: string;
}

export const encodeHeldCursor = (cursor: HeldCursor): string => Buffer.from(`${cursor.createdAt}|${cursor.orderId}`).toString('base64url');

export function decodeHeldCursor(value: string): HeldCursor {
  const [createdAt, orderId, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const valid = rest.length === 0 && createdAt && orderId && !Number.isNaN(Date.parse(createdAt)) && /^[0-9a-f-]{36}$/i.test(orderId);
  if (!valid) {
    throw new ValidationError('The cursor is not one this service gave out', {
      code: 'INVALID_CURSOR',
      details: [{ path: 'query.cursor', message: 'pass the nextCursor of the previous page unchanged' }],
    });
  }
  return { createdAt, orderId };
}
