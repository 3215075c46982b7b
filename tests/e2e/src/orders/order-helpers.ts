import type { AxiosResponse } from 'axios';
import { countAfterSettling } from '@shop/test-kit';
import type { RegisteredUser, Stack } from '../harness/stack';

export const address = { line1: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'US' };

export interface Line {
  productId: string;
  quantity: number;
}

/** POST /api/orders as `user`, optionally with an Idempotency-Key. */
export function placeOrder(stack: Stack, user: RegisteredUser, items: Line[], idempotencyKey?: string): Promise<AxiosResponse> {
  const headers: Record<string, string> = { ...user.auth };
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  return stack.api('order').post('/api/orders', { items, shippingAddress: address }, { headers });
}

/** Emails in the test inbox that mention this order. */
export function emailsAbout(stack: Stack, orderId: string) {
  return stack.inbox.messages.filter((m) => `${m.subject ?? ''} ${m.text ?? ''}`.includes(orderId));
}

/**
 * Longer than what could still send a duplicate in the e2e stack: the delivery retries (200 ms
 * backoff, doubling: 3 s over 5 attempts) and the re-queue sweeper (every 1 s, after 2 s).
 */
const DUPLICATE_WINDOW_MS = 4_000;

/**
 * Waits until the email about this order (with this subject) has arrived, keeps watching long
 * enough for a late duplicate to show, and returns all of them.
 */
export async function awaitEmail(stack: Stack, orderId: string, subject: string) {
  const matching = () => emailsAbout(stack, orderId).filter((m) => m.subject === subject);
  await countAfterSettling(() => matching().length, {
    timeoutMs: 20_000,
    settleMs: DUPLICATE_WINDOW_MS,
    what: `the "${subject}" email about order ${orderId}`,
  });
  return matching();
}

export async function orderRowsOf(stack: Stack, userId: string) {
  return stack.query<{ id: string; status: string }>('order', 'SELECT id, status FROM orders WHERE user_id = $1', [userId]);
}

export const countBy = <T>(values: T[]) => values.reduce<Map<T, number>>((counts, v) => counts.set(v, (counts.get(v) ?? 0) + 1), new Map());
