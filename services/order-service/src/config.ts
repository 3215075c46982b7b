import type { ConfigRule, LoadConfigOptions } from '@shop/config';
import { commonEnv, loadConfig, port, positiveInt, postgresEnv, serviceUrlsEnv, tokenCacheEnv } from '@shop/config';
import { DEFAULT_RETRY, longestServiceCallMs } from '@shop/service-client';

/** Every setting of the Order service: read and validated once, at start-up. */
export const orderServiceEnv = {
  ...commonEnv,
  PORT: port(3003),
  ...postgresEnv('order_service'),
  ...serviceUrlsEnv,
  ...tokenCacheEnv,
  /** Consecutive failures that open a target's circuit breaker, and how long it stays open. */
  BREAKER_FAILURES: positiveInt(5),
  BREAKER_HALF_OPEN_MS: positiveInt(10_000),
  /** Distinct products in one order (and in one cart). */
  MAX_ORDER_LINES: positiveInt(50),
  /** Units of one product in one order line (and one cart line). */
  MAX_ITEM_QUANTITY: positiveInt(100),
  /** How long a retry waits for the first request with the same Idempotency-Key to finish. */
  IDEMPOTENCY_WAIT_MS: positiveInt(15_000),
  /** Outbox relay: how often it looks for due rows, how many it takes at once, its backoff. */
  OUTBOX_POLL_INTERVAL_MS: positiveInt(1_000),
  OUTBOX_BATCH_SIZE: positiveInt(100),
  OUTBOX_INITIAL_BACKOFF_MS: positiveInt(1_000),
  OUTBOX_MAX_BACKOFF_MS: positiveInt(60_000),
  /**
   * How long a claimed row stays invisible to other relays while its delivery is in flight. Must
   * exceed the longest one delivery call can take (longestCallMs: SERVICE_TIMEOUT_MS × attempts
   * plus backoff); checked at start-up.
   */
  OUTBOX_LEASE_MS: positiveInt(30_000),
  /** Stale-order recovery: how often it looks for placements that never finished. */
  STALE_ORDER_SWEEP_INTERVAL_MS: positiveInt(60_000),
  /**
   * How old a `pending` order must be before it counts as abandoned (its placement crashed or
   * could not clean up) and is recovered. Must exceed the longest a placement can take
   * (longestPlacementMs) and IDEMPOTENCY_WAIT_MS; both checked at start-up (orderConfigRules).
   */
  STALE_ORDER_AFTER_MS: positiveInt(60_000),
  /** Reconciliation of reservations and orders (orders/jobs/reconcile-orders.use-case.ts): how often it runs, */
  RECONCILE_INTERVAL_MS: positiveInt(300_000),
  /** how old a disagreement must be before it counts (younger ones are placements and cancels finishing), */
  RECONCILE_AFTER_MS: positiveInt(120_000),
  /** and how far back the first pass looks (later ones carry on from where the previous one settled, kept in PostgreSQL). */
  RECONCILE_WINDOW_MS: positiveInt(24 * 3_600_000),
};

type ParsedOrderConfig = ReturnType<typeof loadConfig<typeof orderServiceEnv>>;
export type OrderServiceConfig = ParsedOrderConfig;

/** What a placement does after its reservation: one statement, bounded by the pool's wait and PostgreSQL's own. */
const CONFIRM_MARGIN_MS = 10_000;

/** The longest one call to another service can take, with the client's retries (which this service leaves at their defaults). */
export function longestCallMs(config: { SERVICE_TIMEOUT_MS: number }): number {
  return longestServiceCallMs(config.SERVICE_TIMEOUT_MS);
}

/**
 * How long a placement goes on after it claimed its order row, at most: its one call to the
 * Product service at full timeout and retries, then its confirming statement. A `pending` order
 * older than this has no placement left working on it, so the sweeper may give it up without
 * failing a placement that would have finished (and if one is still running anyway, it finds
 * its order no longer pending and fails cleanly: correctness never rests on this bound).
 */
export function longestPlacementMs(config: { SERVICE_TIMEOUT_MS: number }): number {
  return longestCallMs(config) + CONFIRM_MARGIN_MS;
}

/** Settings that are each valid but together would break a guarantee; the service refuses to start on them. */
export const orderConfigRules: ConfigRule<ParsedOrderConfig>[] = [
  (c) => {
    const floor = longestPlacementMs(c);
    if (c.STALE_ORDER_AFTER_MS > floor) return undefined;
    return (
      `STALE_ORDER_AFTER_MS: ${c.STALE_ORDER_AFTER_MS} must be more than ${floor} ` +
      `(the longest an order placement can take with SERVICE_TIMEOUT_MS=${c.SERVICE_TIMEOUT_MS}): ` +
      'lower, the recovery could give up orders whose placement is still running, and fail it'
    );
  },
  (c) => {
    if (c.STALE_ORDER_AFTER_MS > c.IDEMPOTENCY_WAIT_MS) return undefined;
    return (
      `STALE_ORDER_AFTER_MS: ${c.STALE_ORDER_AFTER_MS} must be more than IDEMPOTENCY_WAIT_MS=${c.IDEMPOTENCY_WAIT_MS}: ` +
      'a repeat with the same Idempotency-Key waits that long for the first placement, which the recovery must not give up while it waits'
    );
  },
  (c) => {
    const longest = longestCallMs(c);
    if (c.OUTBOX_LEASE_MS > longest) return undefined;
    return (
      `OUTBOX_LEASE_MS: ${c.OUTBOX_LEASE_MS} must be more than ${longest} ` +
      `(one delivery call at SERVICE_TIMEOUT_MS=${c.SERVICE_TIMEOUT_MS} × ${DEFAULT_RETRY.maxAttempts} attempts plus backoff): ` +
      'shorter, another relay takes the rows of a delivery still in flight and sends them again'
    );
  },
];

export function loadOrderServiceConfig(options?: LoadConfigOptions): OrderServiceConfig {
  return loadConfig(orderServiceEnv, options, orderConfigRules);
}
