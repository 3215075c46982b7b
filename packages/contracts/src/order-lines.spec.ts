import { mergeOrderLines } from './order-lines';

describe('mergeOrderLines', () => {
  it('adds up repeats of a product (ids compared without case) and sorts by product id', () => {
    const b = 'BBBBBBBB-0000-4000-8000-000000000000';
    const a = 'aaaaaaaa-0000-4000-8000-000000000000';
    expect(
      mergeOrderLines([
        { productId: b, quantity: 2 },
        { productId: a, quantity: 1 },
        { productId: b.toLowerCase(), quantity: 3 },
      ]),
    ).toEqual([
      { productId: a, quantity: 1 },
      { productId: b.toLowerCase(), quantity: 5 },
    ]);
  });

  it('keeps an empty list empty', () => {
    expect(mergeOrderLines([])).toEqual([]);
  });
});
