import { ValidationError } from '@shop/errors';
import { PAGINATION } from '@shop/contracts';
import type { ListPosition } from '../order.ports';

/** Where a page of the orders list ends, and which page comes next: what `nextCursor` carries, opaque to clients. */
export interface OrderListCursor extends ListPosition {
  page: number;
}

// created_at travels as whole microseconds since the epoch: exact (a JS Date drops microseconds),
// and only digits, so no cursor a client makes up can reach PostgreSQL as an invalid timestamp.
const CURSOR = /^(\d{1,16})\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\|(\d{1,6})$/;

export const encodeOrderListCursor = ({ createdAtMicros, id, page }: OrderListCursor): string =>
  Buffer.from(`${createdAtMicros}|${id}|${page}`).toString('base64url');

export function decodeOrderListCursor(value: string): OrderListCursor {
  const match = CURSOR.exec(Buffer.from(value, 'base64url').toString('utf8'));
  const page = match ? Number(match[3]) : 0;
  if (!match || page < 2 || page > PAGINATION.maxPage) {
    throw new ValidationError('The cursor is not one this service gave out', {
      code: 'INVALID_CURSOR',
      details: [{ path: 'query.cursor', message: 'pass the nextCursor of the previous page unchanged' }],
    });
  }
  return { createdAtMicros: match[1], id: match[2], page };
}
