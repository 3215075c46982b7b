import { ConfigError } from '@shop/config';
import { loadOrderServiceConfig, longestPlacementMs } from './config';

const load = (env: Record<string, string> = {}) => loadOrderServiceConfig({ envFile: false, env: { NODE_ENV: 'test', ...env } });

describe('Order service config: stale-order recovery', () => {
  it('sweeps every minute for orders pending over 5 minutes, well past the longest placement', () => {
    const config = load();
    expect(config).toMatchObject({ STALE_ORDER_SWEEP_INTERVAL_MS: 60_000, STALE_ORDER_AFTER_MS: 300_000 });
    expect(longestPlacementMs(config)).toBe(64_000);
    expect(config.STALE_ORDER_AFTER_MS).toBeGreaterThan(Math.max(config.IDEMPOTENCY_WAIT_MS, longestPlacementMs(config)));
  });

  it('refuses a threshold a placement still running could reach', () => {
    expect(() => load({ STALE_ORDER_AFTER_MS: '30000' })).toThrow(ConfigError);
    expect(() => load({ STALE_ORDER_AFTER_MS: '64000' })).toThrow(/STALE_ORDER_AFTER_MS: 64000 must be more than 64000/);
    // Slower calls make placements longer, and so the threshold.
    expect(() => load({ SERVICE_TIMEOUT_MS: '30000' })).toThrow(/SERVICE_TIMEOUT_MS=30000/);
    expect(load({ SERVICE_TIMEOUT_MS: '30000', STALE_ORDER_AFTER_MS: '900000' }).STALE_ORDER_AFTER_MS).toBe(900_000);
  });

  it('refuses a threshold shorter than a retry waits for the first request with its Idempotency-Key', () => {
    expect(() => load({ IDEMPOTENCY_WAIT_MS: '300000' })).toThrow(/must be more than 300000/);
    expect(load({ STALE_ORDER_AFTER_MS: '65000' }).STALE_ORDER_AFTER_MS).toBe(65_000);
  });
});
