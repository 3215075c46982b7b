import { allowedTransitions, canTransition, isCancellable, isLive, ORDER_STATUSES, OrderStatus } from './order-status.rules';

describe('order lifecycle', () => {
  // pending → confirmed is its placement's alone, never a request's.
  const legal: Array<[OrderStatus, OrderStatus]> = [
    ['pending', 'cancelled'],
    ['confirmed', 'shipped'],
    ['confirmed', 'cancelled'],
    ['shipped', 'delivered'],
  ];

  it.each(legal)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it('allows nothing else (no skipping, no going back, no staying)', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const expected = legal.some(([f, t]) => f === from && t === to);
        expect({ from, to, allowed: canTransition(from, to) }).toEqual({ from, to, allowed: expected });
      }
    }
  });

  it('cancels only orders not yet shipped', () => {
    expect(ORDER_STATUSES.filter(isCancellable)).toEqual(['pending', 'confirmed']);
  });

  it('lets no request move an abandoned placement, and counts only sold orders as live', () => {
    expect(ORDER_STATUSES.filter((to) => canTransition('abandoned', to))).toEqual([]);
    expect(ORDER_STATUSES.filter(isLive)).toEqual(['confirmed', 'shipped', 'delivered']);
  });

  it('ends at delivered and cancelled', () => {
    expect(allowedTransitions('delivered')).toEqual([]);
    expect(allowedTransitions('cancelled')).toEqual([]);
  });
});
