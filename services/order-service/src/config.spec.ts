import { ConfigError } from '@shop/config';
import { loadOrderServiceConfig, longestCallMs, longestPlacementMs } from './config';

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
    expect(load({ SERVICE_TIMEOUT_MS: '30000', STALE_ORDER_AFTER_MS: '900000', OUTBOX_LEASE_MS: '120000' }).STALE_ORDER_AFTER_MS).toBe(
      900_000,
    );
    expect(load({ STALE_ORDER_AFTER_MS: '21001' }).STALE_ORDER_AFTER_MS).toBe(21_001);
  });

  it('refuses a threshold a repeat with the same Idempotency-Key could still be waiting within', () => {
    // Above the placement floor, but not above the idempotency wait: the comment's second promise.
    const load40 = (wait: string) => load({ STALE_ORDER_AFTER_MS: '40000', IDEMPOTENCY_WAIT_MS: wait });
    expect(() => load40('40000')).toThrow(ConfigError);
    expect(() => load40('40000')).toThrow(/STALE_ORDER_AFTER_MS: 40000 must be more than IDEMPOTENCY_WAIT_MS=40000/);
    expect(load40('39999').IDEMPOTENCY_WAIT_MS).toBe(39_999);
  });
});

describe('Order service config: the outbox lease', () => {
  it('covers one delivery call at full timeout and retries by default', () => {
    const config = load();
    expect(longestCallMs(config)).toBe(11_000);
    expect(config.OUTBOX_LEASE_MS).toBeGreaterThan(longestCallMs(config));
  });

  it('refuses a lease a delivery still in flight could outlive, naming both settings', () => {
    expect(() => load({ OUTBOX_LEASE_MS: '11000' })).toThrow(
      /OUTBOX_LEASE_MS: 11000 must be more than 11000 \(one delivery call at SERVICE_TIMEOUT_MS=3000/,
    );
    // A slower client timeout needs a longer lease.
    expect(() => load({ SERVICE_TIMEOUT_MS: '10000', STALE_ORDER_AFTER_MS: '900000' })).toThrow(
      /OUTBOX_LEASE_MS: 30000 must be more than 32000/,
    );
    expect(load({ SERVICE_TIMEOUT_MS: '10000', STALE_ORDER_AFTER_MS: '900000', OUTBOX_LEASE_MS: '32001' }).OUTBOX_LEASE_MS).toBe(32_001);
  });

  it('reports every broken combination at once', () => {
    expect(() => load({ OUTBOX_LEASE_MS: '1000', STALE_ORDER_AFTER_MS: '1000' })).toThrow(
      /STALE_ORDER_AFTER_MS: 1000 must be more than 21000[\s\S]*IDEMPOTENCY_WAIT_MS=15000[\s\S]*OUTBOX_LEASE_MS: 1000/,
    );
  });
});
