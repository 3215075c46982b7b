import { mergeOrderLines, ReservationLineInput, ReservationStatus } from '@shop/contracts';

export const MAX_RESERVATION_LINES = 100;
/** Per line; with at most 100 lines, even merged quantities stay far inside PostgreSQL integers. */
export const MAX_LINE_QUANTITY = 10_000;

/** One line per product, in product id order (the shared rule: see mergeOrderLines). */
export const mergeLines = (items: readonly ReservationLineInput[]): ReservationLineInput[] => mergeOrderLines(items);

/** Whether a repeated request asks for exactly what was reserved (both lists merged and sorted). */
export function sameLines(reserved: readonly ReservationLineInput[], requested: readonly ReservationLineInput[]): boolean {
  return (
    reserved.length === requested.length &&
    reserved.every((line, i) => line.productId === requested[i].productId && line.quantity === requested[i].quantity)
  );
}

/** Reserved or confirmed: the stock is still taken for the order. */
export const isHeld = (status: ReservationStatus): boolean => status === 'reserved' || status === 'confirmed';
