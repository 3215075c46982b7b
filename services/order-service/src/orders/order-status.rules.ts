/**
 * The order lifecycle, in one place:
 *
 *   pending ──(its placement)──► confirmed ──► shipped ──► delivered
 *      │                             │
 *      └─────────────────────────────┴──► cancelled
 *
 * `pending` is an order being placed: its row is written before the stock is reserved, so a
 * crash at any point leaves a record to repair from. Only its own placement confirms it (an
 * admin confirming a pending order would make a confirmed order with no items). A placement
 * that fails or never finishes turns it `abandoned` (stored only, never shown): its stock release
 * is queued, and the row is removed once the stock is back (docs/architecture.md).
 */
export const ORDER_STATUSES = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** What the orders table may hold: the public statuses and `abandoned`. */
export type StoredOrderStatus = OrderStatus | 'abandoned';

/** Orders whose stock is sold: their reservation must be held (the reconciliation checks it). */
export const LIVE_STATUSES: readonly OrderStatus[] = ['confirmed', 'shipped', 'delivered'];

/** The moves a request may ask for (an admin's status change or a cancel). */
const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['cancelled'],
  confirmed: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export function canTransition(from: StoredOrderStatus, to: OrderStatus): boolean {
  return from !== 'abandoned' && TRANSITIONS[from].includes(to);
}

export function allowedTransitions(from: StoredOrderStatus): readonly OrderStatus[] {
  return from === 'abandoned' ? [] : TRANSITIONS[from];
}

export function isCancellable(status: StoredOrderStatus): boolean {
  return canTransition(status, 'cancelled');
}

export function isLive(status: StoredOrderStatus): boolean {
  return (LIVE_STATUSES as readonly string[]).includes(status);
}
