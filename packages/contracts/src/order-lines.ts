/** A product and a number of its units: an order line, a cart line, a reservation line. */
export interface OrderLine {
  productId: string;
  quantity: number;
}

/**
 * The one merging rule for order lines, shared by the Order service (what it reserves) and the
 * Product service (what it locks): repeats of a product are added up (ids compared without
 * case, as PostgreSQL's uuid type does) and the lines sorted by product id, so that every
 * transaction locks the products it touches in the same order and two never deadlock.
 */
export function mergeOrderLines<T extends OrderLine>(items: readonly T[]): OrderLine[] {
  const quantities = new Map<string, number>();
  for (const { productId, quantity } of items) {
    const id = productId.toLowerCase();
    quantities.set(id, (quantities.get(id) ?? 0) + quantity);
  }
  return [...quantities.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([productId, quantity]) => ({ productId, quantity }));
}
