import { ConfigError } from '@shop/config';
import { loadOrderServiceConfig, longestPlacementMs } from './config';

const load = (env: Record<string, string> = {}) => loadOrderServiceConfig({ envFile: false, env: { NODE_ENV: 'test', ...env } });

describe('Order service config: stale-order recovery', () => {
  it('sweeps every minute for orders pending over a minute, well past the longest placement', () => {
    const config = load();
    expect(config).toMatchObject({ STALE_ORDER_SWEEP_INTERVAL_MS: 60_000, STALE_ORDER_AFTER_MS: 60_000 });
    // One Product call at 3 attempts × 3 s plus backoff, then the confirming statement.
    expect(longestPlacementMs(config)).toBe(21_000);
    expect(config.STALE_ORDER_AFTER_MS).toBeGreaterThan(longestPlacementMs(config));
  });

  it('refuses a threshold a placement still running could reach', () => {
    expect(() => load({ STALE_ORDER_AFTER_MS: '20000' })).toThrow(ConfigError);
    expect(() => load({ STALE_ORDER_AFTER_MS: '21000' })).toThrow(/STALE_ORDER_AFTER_MS: 21000 must be more than 21000/);
    // Slower calls make placements longer, and so the threshold.
    expect(() => load({ SERVICE_TIMEOUT_MS: '30000' })).toThrow(/SERVICE_TIMEOUT_MS=30000/);
    expect(load({ SERVICE_TIMEOUT_MS: '30000', STALE_ORDER_AFTER_MS: '900000' }).STALE_ORDER_AFTER_MS).toBe(900_000);
    expect(load({ STALE_ORDER_AFTER_MS: '21001' }).STALE_ORDER_AFTER_MS).toBe(21_001);
  });
});
