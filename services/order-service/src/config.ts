import { commonEnv, loadConfig, LoadConfigOptions, port, positiveInt, postgresEnv, serviceUrlsEnv } from '@shop/config';

/** Every setting of the Order service: read and validated once, at start-up. */
export const orderServiceEnv = {
  ...commonEnv,
  PORT: port(3003),
  ...postgresEnv('order_service'),
  ...serviceUrlsEnv,
  /** How long a token the User service validated is reused (never past the token's expiry). */
  TOKEN_CACHE_TTL_MS: positiveInt(30_000),
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
  OUTBOX_BATCH_SIZE: positiveInt(20),
  OUTBOX_INITIAL_BACKOFF_MS: positiveInt(1_000),
  OUTBOX_MAX_BACKOFF_MS: positiveInt(60_000),
  /** How long a claimed row stays invisible to other relays while its delivery is in flight. */
  OUTBOX_LEASE_MS: positiveInt(30_000),
};

export type OrderServiceConfig = ReturnType<typeof loadOrderServiceConfig>;

export function loadOrderServiceConfig(options?: LoadConfigOptions) {
  return loadConfig(orderServiceEnv, options);
}
