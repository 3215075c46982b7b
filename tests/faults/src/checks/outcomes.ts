import type { RequestRecord } from '../load/order-load';

/** Refusals the API documents for a placement or a cancellation under load. */
const DOCUMENTED_CONFLICTS = new Set(['INSUFFICIENT_STOCK', 'ORDER_STATUS_CONFLICT', 'ORDER_CANCELLED', 'IDEMPOTENCY_KEY_IN_PROGRESS']);
/** A 502/503/504 must say which dependency failed. */
const NAMES_A_DEPENDENCY = /user|product|notification|order|database|postgres|redis|mongo/i;
/** What a client sees while the Order service process itself is down. */
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ERR_BAD_RESPONSE', 'EPIPE', 'NETWORK_ERROR']);

export interface OutcomeSummary {
  sent: number;
  /** "201", "503 SERVICE_UNAVAILABLE", "0 ECONNREFUSED" → count. */
  byOutcome: Record<string, number>;
  byOp: Record<string, number>;
  maxDurationMs: number;
  p99DurationMs: number;
  pastDeadline: RequestRecord[];
  /** Failures that are neither a documented 4xx nor a 502/503/504 envelope naming the dependency. */
  undocumented: RequestRecord[];
}

export const outcomeKey = (r: RequestRecord) =>
  r.code && r.status !== 201 && r.status !== 200 ? `${r.status} ${r.code}` : String(r.status);

/** True for an answer the contract allows while a dependency fails. */
export function isDocumented(r: RequestRecord, orderServiceDown: (at: number) => boolean): boolean {
  if (r.status === 201 || r.status === 200) return true;
  if (r.status === 409) return r.code !== undefined && DOCUMENTED_CONFLICTS.has(r.code);
  // A checkout sent again after an error answer finds the cart empty when the first one placed it.
  if (r.status === 422 && r.op === 'checkout-retry') return r.code === 'CART_EMPTY';
  if (r.status >= 502 && r.status <= 504) return r.code !== undefined && NAMES_A_DEPENDENCY.test(r.error ?? '');
  if (r.status === 0) return r.code !== undefined && CONNECTION_FAILURES.has(r.code) && orderServiceDown(r.startedAt + r.durationMs);
  return false;
}

export function summarise(
  records: readonly RequestRecord[],
  deadlineMs: number,
  orderServiceDown: (at: number) => boolean,
): OutcomeSummary {
  const byOutcome: Record<string, number> = {};
  const byOp: Record<string, number> = {};
  for (const r of records) {
    const key = outcomeKey(r);
    byOutcome[key] = (byOutcome[key] ?? 0) + 1;
    byOp[r.op] = (byOp[r.op] ?? 0) + 1;
  }
  const durations = records.map((r) => r.durationMs).sort((a, b) => a - b);
  return {
    sent: records.length,
    byOutcome,
    byOp,
    maxDurationMs: durations.at(-1) ?? 0,
    p99DurationMs: durations[Math.floor(durations.length * 0.99)] ?? 0,
    pastDeadline: records.filter((r) => r.durationMs > deadlineMs),
    undocumented: records.filter((r) => !isDocumented(r, orderServiceDown)),
  };
}
