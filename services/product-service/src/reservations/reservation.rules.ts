import { ReservationLineInput, ReservationStatus } from '@shop/service-client';

export const MAX_RESERVATION_LINES = 100;
/** Per line; with at most 100 lines, even merged quantities stay far inside PostgreSQL integers. */
export const MAX_LINE_QUANTITY = 10_000;

/**
 * One line per product (repeats of a product are added up), in product id order: every
 * transaction then locks the products it touches in the same order, so two never deadlock.
 */
export function mergeLines(items: readonly ReservationLineInput[]): ReservationLineInput[] {
  const quantities = new Map<string, number>();
  for (const { productId, quantity } of items) {
    const id = productId.toLowerCase();
    quantities.set(id, (quantities.get(id) ?? 0) + quantity);
  }
  return [...quantities.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([productId, quantity]) => ({ productId, quantity }));
}

/** Whether a repeated request asks for exactly what was reserved (both lists merged and sorted). */
export function sameLines(reserved: readonly ReservationLineInput[], requested: readonly ReservationLineInput[]): boolean {
  return (
    reserved.length === requested.length &&
    reserved.every((line, i) => line.productId === requested[i].productId && line.quantity === requested[i].quantity)
  );
}

/** Reserved or confirmed: the stock is still taken for the order. */
export const isHeld = (status: ReservationStatus): boolean => status === 'reserved' || status === 'confirmed';
