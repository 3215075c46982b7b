import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AxiosError, AxiosInstance } from 'axios';

export interface Customer {
  id: string;
  auth: { Authorization: string };
}

/** One request the load sent and what came back. */
export interface RequestRecord {
  /** `checkout-retry`: a checkout sent again after an error answer, as a client told to retry does. */
  op: 'place' | 'cancel' | 'probe' | 'checkout' | 'checkout-retry';
  /** HTTP status; 0 when no response came (the connection failed or the client gave up). */
  status: number;
  /** The error envelope's code, or the network error's code (ECONNRESET, ECONNABORTED...). */
  code?: string;
  error?: string;
  startedAt: number;
  durationMs: number;
  orderId?: string;
}

export interface LoadOptions {
  /** Concurrent loops, one customer each. */
  concurrency: number;
  durationMs: number;
  /** A hard cap on requests, whatever the duration (the load always stops by itself). */
  maxRequests: number;
  productIds: string[];
  /** Share of successful placements followed by a cancellation of one of the loop's orders. */
  cancelRatio: number;
  /** The client gives up after this long (recorded as status 0, ECONNABORTED). */
  clientTimeoutMs: number;
  /** A pause after each placement (a paced load, for faults that last minutes); none by default. */
  pauseMs?: number;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** 1–2 distinct products, 1–2 units each. */
function randomLines(productIds: readonly string[]): Array<{ productId: string; quantity: number }> {
  const first = pick(productIds);
  const lines = [{ productId: first, quantity: 1 + Math.floor(Math.random() * 2) }];
  if (Math.random() < 0.5 && productIds.length > 1) {
    let second = pick(productIds);
    while (second === first) second = pick(productIds);
    lines.push({ productId: second, quantity: 1 + Math.floor(Math.random() * 2) });
  }
  return lines;
}

export async function send(
  api: AxiosInstance,
  op: RequestRecord['op'],
  request: { method: 'post' | 'get' | 'delete'; url: string; data?: unknown; headers: Record<string, string>; timeoutMs: number },
): Promise<RequestRecord> {
  const startedAt = Date.now();
  try {
    const res = await api.request({
      method: request.method,
      url: request.url,
      data: request.data,
      headers: request.headers,
      timeout: request.timeoutMs,
    });
    const body = (res.data ?? {}) as { code?: string; error?: string; data?: { order?: { id?: string } } };
    return {
      op,
      status: res.status,
      code: body.code,
      error: typeof body.error === 'string' ? body.error : undefined,
      startedAt,
      durationMs: Date.now() - startedAt,
      orderId: body.data?.order?.id,
    };
  } catch (err) {
    const e = err as AxiosError;
    return { op, status: 0, code: e.code ?? 'NETWORK_ERROR', error: e.message, startedAt, durationMs: Date.now() - startedAt };
  }
}

/**
 * Steady order load on the Order service: `concurrency` loops place 1–2-line orders (some with
 * an Idempotency-Key) and now and then cancel one of their orders, until the time or the request
 * cap is reached. Every response is recorded.
 */
export async function runOrderLoad(api: AxiosInstance, customers: readonly Customer[], options: LoadOptions): Promise<RequestRecord[]> {
  const records: RequestRecord[] = [];
  const endAt = Date.now() + options.durationMs;
  const loop = async (customer: Customer) => {
    const placed: string[] = [];
    while (Date.now() < endAt && records.length < options.maxRequests) {
      const headers: Record<string, string> = { ...customer.auth };
      if (Math.random() < 0.3) headers['Idempotency-Key'] = randomUUID();
      const rec = await send(api, 'place', {
        method: 'post',
        url: '/api/orders',
        data: { items: randomLines(options.productIds) },
        headers,
        timeoutMs: options.clientTimeoutMs,
      });
      records.push(rec);
      if (rec.status === 201 && rec.orderId) {
        placed.push(rec.orderId);
        if (Math.random() < options.cancelRatio) {
          const [orderId] = placed.splice(Math.floor(Math.random() * placed.length), 1);
          records.push(
            await send(api, 'cancel', {
              method: 'post',
              url: `/api/orders/${orderId}/cancel`,
              headers: customer.auth,
              timeoutMs: options.clientTimeoutMs,
            }),
          );
        }
      } else if (rec.status !== 201) {
        // A client that failed does not retry in a tight loop (nor does a real one).
        await sleep(25);
      }
      if (options.pauseMs) await sleep(options.pauseMs);
    }
  };
  await Promise.all(customers.slice(0, options.concurrency).map(loop));
  return records;
}

/**
 * After a fault is over: places one small order every `intervalMs` until one is accepted, and
 * reports how long that took from `since` (null if none within `timeoutMs`).
 */
export async function measureRecovery(
  api: AxiosInstance,
  customer: Customer,
  productIds: readonly string[],
  options: { since: number; timeoutMs: number; intervalMs: number; clientTimeoutMs: number },
): Promise<{ recoveredAfterMs: number | null; attempts: RequestRecord[] }> {
  const attempts: RequestRecord[] = [];
  const giveUpAt = options.since + options.timeoutMs;
  while (Date.now() < giveUpAt) {
    const rec = await send(api, 'probe', {
      method: 'post',
      url: '/api/orders',
      data: { items: [{ productId: pick(productIds), quantity: 1 }] },
      headers: customer.auth,
      timeoutMs: options.clientTimeoutMs,
    });
    attempts.push(rec);
    if (rec.status === 201) return { recoveredAfterMs: Date.now() - options.since, attempts };
    await sleep(options.intervalMs);
  }
  return { recoveredAfterMs: null, attempts };
}
