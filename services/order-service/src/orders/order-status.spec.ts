import { allowedTransitions, canTransition, isCancellable, ORDER_STATUSES, OrderStatus } from './order-status';

describe('order lifecycle', () => {
  const legal: Array<[OrderStatus, OrderStatus]> = [
    ['pending', 'confirmed'],
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

  it('ends at delivered and cancelled', () => {
    expect(allowedTransitions('delivered')).toEqual([]);
    expect(allowedTransitions('cancelled')).toEqual([]);
  });
});
