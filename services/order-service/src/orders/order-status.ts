/**
 * The order lifecycle, in one place:
 *
 *   pending ──► confirmed ──► shipped ──► delivered
 *      │            │
 *      └────────────┴──► cancelled
 *
 * `pending` is an order being placed (its stock is reserved, not yet sold); the create flow
 * moves it to `confirmed`. Everything that changes a status asks this table first.
 */
export const ORDER_STATUSES = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: OrderStatus): readonly OrderStatus[] {
  return TRANSITIONS[from];
}

export function isCancellable(status: OrderStatus): boolean {
  return canTransition(status, 'cancelled');
}
