import { centsToDecimal, fromCents, lineTotal, sumCents, toCents } from './money.rules';

describe('money', () => {
  it('totals 2 × 999.99 + 3 × 29.99 as exactly 2089.95', () => {
    const total = sumCents([lineTotal(toCents(999.99), 2), lineTotal(toCents(29.99), 3)]);
    expect(total).toBe(208995);
    expect(fromCents(total)).toBe(2089.95);
    expect(centsToDecimal(total)).toBe('2089.95');
  });

  it('stays exact where floating point is not', () => {
    expect(3 * 0.1).not.toBe(0.3);
    expect(fromCents(lineTotal(toCents(0.1), 3))).toBe(0.3);
    expect(fromCents(sumCents([toCents(0.1), toCents(0.2)]))).toBe(0.3);
  });

  it('reads prices the way PostgreSQL and JSON give them', () => {
    expect(toCents('999.99')).toBe(99999);
    expect(toCents('10')).toBe(1000);
    expect(toCents('0.5')).toBe(50);
    expect(toCents(0.1)).toBe(10);
    expect(toCents(1e3)).toBe(100000);
    expect(toCents('-4.20')).toBe(-420);
  });

  it('refuses amounts with more than two decimals or no value', () => {
    expect(() => toCents(1.005)).toThrow(RangeError);
    expect(() => toCents('abc')).toThrow(RangeError);
    expect(() => toCents(Number.NaN)).toThrow(RangeError);
    expect(() => toCents('')).toThrow(RangeError);
  });

  it('writes numeric(12,2) text with two decimals', () => {
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(100)).toBe('1.00');
    expect(centsToDecimal(-1234)).toBe('-12.34');
    expect(fromCents(1000)).toBe(10);
    expect(fromCents(1)).toBe(0.01);
  });
});
