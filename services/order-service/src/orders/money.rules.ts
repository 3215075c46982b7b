/**
 * Money is handled in integer cents: PostgreSQL `numeric(12,2)` on disk, a JSON number with at
 * most two decimals on the wire, and never a floating-point sum in between.
 */
export type Cents = number;

const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/**
 * Parses a price as PostgreSQL (`"999.99"`) or a JSON body (`999.99`) gives it. Reading the
 * decimal digits as text avoids `999.99 * 100 = 99998.99999999999`.
 */
export function toCents(amount: number | string): Cents {
  const text = typeof amount === 'number' ? numberToText(amount) : amount.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`Not an amount with at most two decimals: ${String(amount)}`);
  const [, minus, whole, fraction = ''] = match;
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Amount out of range: ${String(amount)}`);
  return minus ? -cents : cents;
}

function numberToText(amount: number): string {
  if (!Number.isFinite(amount)) throw new RangeError(`Not a finite amount: ${amount}`);
  // A double that is meant to hold two decimals prints as such; toFixed would hide a third one.
  return String(amount);
}

/** Cents as the JSON number the API sends, e.g. 208995 → 2089.95. */
export function fromCents(cents: Cents): number {
  return Number((cents / 100).toFixed(2));
}

/** Cents as the text a `numeric(12,2)` column takes, e.g. 208995 → "2089.95". */
export function centsToDecimal(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function lineTotal(unitPrice: Cents, quantity: number): Cents {
  return unitPrice * quantity;
}

export function sumCents(amounts: Iterable<Cents>): Cents {
  let total = 0;
  for (const amount of amounts) total += amount;
  return total;
}
