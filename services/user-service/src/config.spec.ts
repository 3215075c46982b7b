import { ConfigError } from '@shop/config';
import { DEVELOPMENT_ADMIN_PASSWORD, loadUserServiceConfig } from './config';

const load = (env: Record<string, string>) => loadUserServiceConfig({ env, envFile: false });
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
  INTERNAL_API_KEY: 'k-2026-11',
};

describe('user-service config', () => {
  it('runs a fresh clone on development defaults', () => {
    const config = load({});
    expect(config).toMatchObject({
      PORT: 3001,
      MONGODB_URI: 'mongodb://localhost:27017/user_service',
      JWT_SECRET: 'user_service_jwt_secret_key',
      JWT_EXPIRES_IN: 24 * 3600,
      BCRYPT_ROUNDS: 10,
      LOGIN_MAX_FAILURES: 10,
    });
    expect(config.ADMIN_EMAIL).toBeUndefined();
  });

  it('refuses production with the default JWT secret', () => {
    expect(() => load({ ...PRODUCTION, JWT_SECRET: '' })).toThrow(/JWT_SECRET: still the development default/);
    expect(() => load({ ...PRODUCTION, JWT_SECRET: 'user_service_jwt_secret_key' })).toThrow(ConfigError);
  });

  it('refuses a short JWT secret in production only', () => {
    expect(() => load({ ...PRODUCTION, JWT_SECRET: 'short-secret' })).toThrow(/JWT_SECRET: must be at least 32 characters/);
    expect(load({ JWT_SECRET: 'short-secret' }).JWT_SECRET).toBe('short-secret');
  });

  it('accepts production with real secrets', () => {
    expect(load(PRODUCTION).NODE_ENV).toBe('production');
  });

  it.each([
    ['3600', 3600],
    ['90s', 90],
    ['15m', 900],
    ['24h', 86_400],
    ['7d', 604_800],
  ])('reads JWT_EXPIRES_IN=%s as %i seconds', (value, seconds) => {
    expect(load({ JWT_EXPIRES_IN: value }).JWT_EXPIRES_IN).toBe(seconds);
  });

  it.each(['0', '-5m', '24 hours', 'soon'])('refuses JWT_EXPIRES_IN=%s', (value) => {
    expect(() => load({ JWT_EXPIRES_IN: value })).toThrow(/JWT_EXPIRES_IN: must be a positive duration/);
  });

  it('normalises ADMIN_EMAIL and holds ADMIN_PASSWORD to the password policy', () => {
    expect(load({ ADMIN_EMAIL: ' Root@Shop.example ', ADMIN_PASSWORD: 'admin-pass-1' }).ADMIN_EMAIL).toBe('root@shop.example');
    expect(() => load({ ADMIN_EMAIL: 'root@shop.example', ADMIN_PASSWORD: 'password' })).toThrow(
      /ADMIN_PASSWORD: must contain at least one digit/,
    );
  });

  it('wants ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(() => load({ ADMIN_EMAIL: 'root@shop.example' })).toThrow(/set both/);
    expect(() => load({ ADMIN_PASSWORD: 'admin-pass-1' })).toThrow(/set both/);
  });

  it('refuses a development-grade admin password in production', () => {
    const admin = { ADMIN_EMAIL: 'root@shop.example' };
    expect(() => load({ ...PRODUCTION, ...admin, ADMIN_PASSWORD: 'admin123' })).toThrow(/ADMIN_PASSWORD: must be at least 12 characters/);
    expect(() => load({ ...PRODUCTION, ...admin, ADMIN_PASSWORD: DEVELOPMENT_ADMIN_PASSWORD })).toThrow(
      /ADMIN_PASSWORD: still the development default/,
    );
    expect(load({ ...admin, ADMIN_PASSWORD: DEVELOPMENT_ADMIN_PASSWORD }).ADMIN_PASSWORD).toBe(DEVELOPMENT_ADMIN_PASSWORD);
    expect(load({ ...PRODUCTION, ...admin, ADMIN_PASSWORD: 'a-long-admin-passphrase-7' }).ADMIN_PASSWORD).toBe('a-long-admin-passphrase-7');
  });

  it('keeps the rate limits configurable', () => {
    const config = load({ LOGIN_MAX_FAILURES: '5', LOGIN_FAILURE_WINDOW_MS: '60000', AUTH_RATE_LIMIT_MAX: '50' });
    expect(config).toMatchObject({ LOGIN_MAX_FAILURES: 5, LOGIN_FAILURE_WINDOW_MS: 60_000, AUTH_RATE_LIMIT_MAX: 50 });
    expect(() => load({ LOGIN_MAX_FAILURES: '0' })).toThrow(/LOGIN_MAX_FAILURES/);
  });
});
