import type { LoadConfigOptions } from '@shop/config';
import { commonEnv, loadConfig, nonNegativeInt, port, positiveInt, postgresEnv, serviceUrlsEnv, tokenCacheEnv } from '@shop/config';

export const SERVICE_NAME = 'product-service';

/** Every variable the Product service reads, each with a development default. */
export const productServiceEnv = {
  ...commonEnv,
  PORT: port(3002),
  ...postgresEnv('product_service'),
  ...serviceUrlsEnv,
  ...tokenCacheEnv,
  /** How long reserved stock is held for an order that is never confirmed. */
  RESERVATION_TTL_MS: positiveInt(600_000),
  /** How often the sweeper returns the stock of expired reservations. */
  RESERVATION_SWEEP_INTERVAL_MS: positiveInt(30_000),
  /**
   * How long the product list reuses the number of products matching its filters (0: never).
   * Writes through this instance clear it at once, and lists filtered by stock are always
   * counted afresh; only writes through another instance show late, by at most this long.
   */
  PRODUCT_COUNT_CACHE_MS: nonNegativeInt(2_000),
  /** How long an idle database connection is kept open (reopening one costs a login). */
  DB_POOL_IDLE_TIMEOUT_MS: positiveInt(300_000),
};

export type ProductServiceConfig = ReturnType<typeof loadProductServiceConfig>;

export function loadProductServiceConfig(options?: LoadConfigOptions) {
  return loadConfig(productServiceEnv, options);
}
