import { commonEnv, loadConfig, LoadConfigOptions, port, positiveInt, postgresEnv, serviceUrlsEnv, tokenCacheEnv } from '@shop/config';

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
};

export type ProductServiceConfig = ReturnType<typeof loadProductServiceConfig>;

export function loadProductServiceConfig(options?: LoadConfigOptions) {
  return loadConfig(productServiceEnv, options);
}
