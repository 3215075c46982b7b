import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AxiosInstance } from 'axios';
import { Customer, RequestRecord, send } from './order-load';

export interface Line {
  productId: string;
  quantity: number;
}

/** One cart filled and checked out (with the retries its client made), and what the cart held after. */
export interface Basket {
  customerId: string;
  /** The cart's lines as read back before the checkout. */
  lines: Line[];
  keyed: boolean;
  /** Orders placed for this cart are created in [from, until). */
  from: number;
  until: number;
  /** Order ids the checkout's answers named (201, or 200 for a keyed replay). */
  answeredOrderIds: string[];
  /** The first attempt's answer was an error (the case a client retries). */
  firstFailed: boolean;
  /** A retry found the first attempts' order placed (a keyed replay, or the cart emptied by it). */
  retryFoundPlaced: boolean;
  /** The cart's lines once the checkout's last attempt was answered. */
  leftover: Line[] | null;
}

export interface CheckoutLoadOptions {
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  productIds: string[];
  clientTimeoutMs: number;
  /** Attempts per checkout, the first included, while the answers are errors worth a retry. */
  maxAttempts: number;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const retryable = (r: RequestRecord) => r.status === 0 || r.status >= 500 || (r.status === 409 && r.code === 'IDEMPOTENCY_KEY_IN_PROGRESS');

/** Sends a cart request until it is answered 2xx (a setup step, not what is judged); its data or null. */
async function settle(api: AxiosInstance, request: Parameters<typeof send>[2], endBy: number): Promise<unknown> {
  while (Date.now() < endBy) {
    try {
      const res = await api.request({ method: request.method, url: request.url, data: request.data, headers: request.headers });
      if (res.status >= 200 && res.status < 300) return (res.data as { data?: unknown }).data ?? null;
    } catch {
      // The Order service is unreachable for a moment: try again.
    }
    await sleep(100);
  }
  return null;
}

async function readCart(api: AxiosInstance, customer: Customer, endBy: number): Promise<Line[] | null> {
  const data = (await settle(api, { method: 'get', url: '/api/cart', headers: customer.auth, timeoutMs: 10_000 }, endBy)) as {
    cart?: { items?: Line[] };
  } | null;
  return data?.cart?.items?.map(({ productId, quantity }) => ({ productId, quantity })) ?? null;
}

/**
 * Checkouts under load: each loop empties its customer's cart, puts 1–2 lines in it, reads
 * them back and checks out (half the carts with an Idempotency-Key), sending the checkout again
 * after an error answer as a client told to retry would, then reads what the cart holds. Every
 * checkout answer is recorded; the cart steps are retried until answered and not judged.
 */
export async function runCheckoutLoad(
  api: AxiosInstance,
  customers: readonly Customer[],
  options: CheckoutLoadOptions,
): Promise<{ records: RequestRecord[]; baskets: Basket[] }> {
  const records: RequestRecord[] = [];
  const baskets: Basket[] = [];
  const endAt = Date.now() + options.durationMs;
  // The cart steps of a loop finish even when the load's time is up (a basket is read to its end).
  const stepsEndBy = endAt + 60_000;
  const loop = async (customer: Customer) => {
    while (Date.now() < endAt && records.length < options.maxRequests) {
      await settle(api, { method: 'delete', url: '/api/cart', headers: customer.auth, timeoutMs: 10_000 }, stepsEndBy);
      const first = pick(options.productIds);
      const second = pick(options.productIds);
      for (const productId of new Set([first, second])) {
        await settle(
          api,
          { method: 'post', url: '/api/cart/items', data: { productId, quantity: 1 }, headers: customer.auth, timeoutMs: 10_000 },
          stepsEndBy,
        );
      }
      // An add retried after a lost answer may have added twice: the cart says what it holds.
      const lines = await readCart(api, customer, stepsEndBy);
      if (!lines || lines.length === 0) continue;
      const keyed = Math.random() < 0.5;
      const headers: Record<string, string> = { ...customer.auth, ...(keyed ? { 'Idempotency-Key': randomUUID() } : {}) };
      const basket: Basket = {
        customerId: customer.id,
        lines,
        keyed,
        from: Date.now(),
        until: 0,
        answeredOrderIds: [],
        firstFailed: false,
        retryFoundPlaced: false,
        leftover: null,
      };
      for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
        const rec = await send(api, attempt === 1 ? 'checkout' : 'checkout-retry', {
          method: 'post',
          url: '/api/cart/checkout',
          data: {},
          headers,
          timeoutMs: options.clientTimeoutMs,
        });
        records.push(rec);
        if (rec.orderId && (rec.status === 201 || rec.status === 200)) basket.answeredOrderIds.push(rec.orderId);
        if (attempt === 1) basket.firstFailed = rec.status !== 201;
        else if (rec.status === 200 || (rec.status === 422 && rec.code === 'CART_EMPTY')) basket.retryFoundPlaced = true;
        if (!retryable(rec)) break;
        await sleep(200);
      }
      basket.leftover = await readCart(api, customer, stepsEndBy);
      basket.until = Date.now();
      baskets.push(basket);
    }
  };
  await Promise.all(customers.slice(0, options.concurrency).map(loop));
  return { records, baskets };
}
