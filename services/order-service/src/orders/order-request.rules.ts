import { createHash } from 'node:crypto';
import { ValidationError } from '@shop/errors';
import { mergeOrderLines } from '@shop/service-client';

export interface OrderLineInput {
  productId: string;
  quantity: number;
}

export interface ShippingAddress {
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

/** What placing an order needs, from POST /api/orders or a cart checkout. */
export interface PlaceOrderInput {
  items: OrderLineInput[];
  shippingAddress?: ShippingAddress;
}

/**
 * One line per product (duplicates merged), in product id order: the same order always
 * reserves, hashes and stores the same way. A merged line may not exceed the per-line cap.
 */
export function normalizeLines(items: readonly OrderLineInput[], maxQuantity: number): OrderLineInput[] {
  const lines = mergeOrderLines(items);
  const tooMany = lines.filter((l) => l.quantity > maxQuantity);
  if (tooMany.length) {
    throw new ValidationError(`At most ${maxQuantity} units of one product may be ordered`, {
      code: 'QUANTITY_TOO_LARGE',
      details: tooMany.map((l) => ({
        path: 'body.items',
        message: `${l.quantity} units of ${l.productId} (after merging duplicate lines)`,
      })),
    });
  }
  return lines;
}

/**
 * The fingerprint stored with an Idempotency-Key: a repeat must carry the same request. It is
 * taken over the normalized lines and the address with sorted keys, so the order of lines or
 * of JSON keys does not make a genuine retry look different.
 */
export function requestFingerprint(lines: readonly OrderLineInput[], shippingAddress?: ShippingAddress): string {
  return createHash('sha256')
    .update(canonicalJson({ items: lines, shippingAddress: shippingAddress ?? null }))
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
