import { ConfigError } from '@shop/config';
import { loadNotificationServiceConfig } from './config';

const load = (env: Record<string, string>) => loadNotificationServiceConfig({ env, envFile: false });

describe('config', () => {
  it('runs with no environment at all on development defaults', () => {
    const defaults = load({});
    expect(defaults.NOTIFY_MAX_ATTEMPTS).toBeUndefined();
    expect(defaults).toMatchObject({
      PORT: 3004,
      MONGODB_URI: 'mongodb://localhost:27017/notification_service',
      REDIS_HOST: 'localhost',
      REDIS_PORT: 6379,
      BULL_PREFIX: 'bull',
      NOTIFICATION_QUEUE: 'notifications',
      SMTP_HOST: 'localhost',
      SMTP_PORT: 1025,
      SMTP_SECURE: false,
      SMTP_FROM: 'Shop <no-reply@shop.local>',
      NOTIFY_BACKOFF_MS: 2000,
      NOTIFY_BACKOFF_MAX_MS: 60_000,
      NOTIFY_RETRY_WINDOW_MS: 86_400_000,
      REQUEUE_INTERVAL_MS: 30_000,
      REQUEUE_AFTER_MS: 15_000,
      API_ENABLED: true,
      WORKER_ENABLED: true,
      USER_SERVICE_URL: 'http://localhost:3001',
    });
  });

  it('splits API and worker processes with the two flags', () => {
    expect(load({ API_ENABLED: 'false', WORKER_ENABLED: 'true' })).toMatchObject({ API_ENABLED: false, WORKER_ENABLED: true });
    expect(load({ API_ENABLED: '1', WORKER_ENABLED: 'no' })).toMatchObject({ API_ENABLED: true, WORKER_ENABLED: false });
    expect(() => load({ WORKER_ENABLED: 'maybe' })).toThrow(ConfigError);
  });

  it('refuses values that cannot work', () => {
    expect(() => load({ NOTIFY_MAX_ATTEMPTS: '0' })).toThrow(/NOTIFY_MAX_ATTEMPTS/);
    expect(() => load({ SMTP_PORT: '70000' })).toThrow(/SMTP_PORT/);
    expect(() => load({ USER_SERVICE_URL: 'not a url' })).toThrow(/USER_SERVICE_URL/);
  });

  it('refuses the development internal key in production', () => {
    expect(() => load({ NODE_ENV: 'production' })).toThrow(/INTERNAL_API_KEY/);
    expect(load({ NODE_ENV: 'production', INTERNAL_API_KEY: 'a-real-secret' }).INTERNAL_API_KEY).toBe('a-real-secret');
  });
});

describe('config: the claim lease against the MongoDB watchdog', () => {
  it('keeps the default lease (2 min) well above the watchdog reopen (15 s)', () => {
    expect(load({})).toMatchObject({ NOTIFY_CLAIM_LEASE_MS: 120_000, MONGO_REOPEN_AFTER_MS: 15_000 });
  });

  it('refuses a lease under two reopens, naming both settings and why', () => {
    const refused = () => load({ NOTIFY_CLAIM_LEASE_MS: '29999' });
    expect(refused).toThrow(ConfigError);
    expect(refused).toThrow(/NOTIFY_CLAIM_LEASE_MS: 29999 must be at least 30000 \(2 × MONGO_REOPEN_AFTER_MS=15000\).*send it again/);
    expect(load({ NOTIFY_CLAIM_LEASE_MS: '30000' }).NOTIFY_CLAIM_LEASE_MS).toBe(30_000);
    // A faster reopen allows a shorter lease (the delivery tests run on a 3 s lease).
    expect(load({ NOTIFY_CLAIM_LEASE_MS: '3000', MONGO_REOPEN_AFTER_MS: '1500' }).NOTIFY_CLAIM_LEASE_MS).toBe(3_000);
    expect(() => load({ NOTIFY_CLAIM_LEASE_MS: '120000', MONGO_REOPEN_AFTER_MS: '60001' })).toThrow(/MONGO_REOPEN_AFTER_MS=60001/);
  });
});
