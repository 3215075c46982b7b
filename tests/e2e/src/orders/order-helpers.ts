import type { AxiosResponse } from 'axios';
import { waitFor } from '@shop/test-kit';
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

/** Waits until the email about this order (with this subject) has arrived, and returns all of them. */
export async function awaitEmail(stack: Stack, orderId: string, subject: string) {
  await waitFor(() => emailsAbout(stack, orderId).some((m) => m.subject === subject), {
    timeoutMs: 20_000,
    what: `the "${subject}" email about order ${orderId}`,
  });
  return emailsAbout(stack, orderId).filter((m) => m.subject === subject);
}

export async function orderRowsOf(stack: Stack, userId: string) {
  return stack.query<{ id: string; status: string }>('order', 'SELECT id, status FROM orders WHERE user_id = $1', [userId]);
}

export const countBy = <T>(values: T[]) => values.reduce<Map<T, number>>((counts, v) => counts.set(v, (counts.get(v) ?? 0) + 1), new Map());
