import { ValidationError } from '@shop/errors';
import { normalizeLines, requestFingerprint } from './order-request.rules';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const address = { line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' };

describe('normalizeLines', () => {
  it('merges duplicate products and sorts by product id', () => {
    expect(
      normalizeLines(
        [
          { productId: B, quantity: 1 },
          { productId: A, quantity: 2 },
          { productId: B.toUpperCase(), quantity: 3 },
        ],
        100,
      ),
    ).toEqual([
      { productId: A, quantity: 2 },
      { productId: B, quantity: 4 },
    ]);
  });

  it('rejects a merged line above the per-line cap', () => {
    const merge = () =>
      normalizeLines(
        [
          { productId: A, quantity: 60 },
          { productId: A, quantity: 41 },
        ],
        100,
      );
    expect(merge).toThrow(ValidationError);
    expect(merge).toThrow(/At most 100 units/);
  });
});

describe('requestFingerprint', () => {
  const lines = normalizeLines(
    [
      { productId: A, quantity: 2 },
      { productId: B, quantity: 1 },
    ],
    100,
  );

  it('is the same for the same request, whatever the order of lines and keys', () => {
    const reordered = normalizeLines(
      [
        { productId: B, quantity: 1 },
        { productId: A, quantity: 1 },
        { productId: A, quantity: 1 },
      ],
      100,
    );
    const shuffledAddress = { country: 'US', postalCode: '12345', city: 'Springfield', line1: '1 Main St' };
    expect(requestFingerprint(reordered, shuffledAddress)).toBe(requestFingerprint(lines, address));
    expect(requestFingerprint(lines, address)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when a quantity, a product or the address differs', () => {
    const base = requestFingerprint(lines, address);
    expect(
      requestFingerprint(
        normalizeLines(
          [
            { productId: A, quantity: 3 },
            { productId: B, quantity: 1 },
          ],
          100,
        ),
        address,
      ),
    ).not.toBe(base);
    expect(requestFingerprint(normalizeLines([{ productId: A, quantity: 2 }], 100), address)).not.toBe(base);
    expect(requestFingerprint(lines, { ...address, city: 'Shelbyville' })).not.toBe(base);
    expect(requestFingerprint(lines)).not.toBe(base);
  });
});
