import { commonEnv, ConfigError, DEVELOPMENT_INTERNAL_API_KEY, loadConfig, port, secret, tokenCacheEnv } from './index';

const shape = { ...commonEnv, PORT: port(3001), JWT_SECRET: secret('user_service_jwt_secret_key') };

describe('loadConfig', () => {
  it('gives every variable its development default', () => {
    const config = loadConfig(shape, { env: {}, envFile: false });
    expect(config).toMatchObject({ NODE_ENV: 'development', PORT: 3001, INTERNAL_API_KEY: DEVELOPMENT_INTERNAL_API_KEY });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses to start in production with a development secret, naming each one', () => {
    const load = () => loadConfig(shape, { env: { NODE_ENV: 'production' }, envFile: false });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/JWT_SECRET: still the development default/);
    expect(load).toThrow(/INTERNAL_API_KEY: still the development default/);
  });

  it('refuses a development key hidden in a rotation list', () => {
    const env = { NODE_ENV: 'production', JWT_SECRET: 's3cret-for-real', INTERNAL_API_KEY: `new-key,${DEVELOPMENT_INTERNAL_API_KEY}` };
    expect(() => loadConfig(shape, { env, envFile: false })).toThrow(/INTERNAL_API_KEY/);
  });

  it('accepts production with real secrets', () => {
    const env = { NODE_ENV: 'production', JWT_SECRET: 's3cret-for-real', INTERNAL_API_KEY: 'k-2026-11,k-2026-10' };
    expect(loadConfig(shape, { env, envFile: false }).JWT_SECRET).toBe('s3cret-for-real');
  });

  it('explains what is wrong with a bad value', () => {
    expect(() => loadConfig(shape, { env: { PORT: 'eighty' }, envFile: false })).toThrow(/PORT:/);
  });

  it('bounds TOKEN_CACHE_TTL_MS the same way everywhere: 0 (always ask) up to five minutes', () => {
    const ttl = (value?: string) =>
      loadConfig(tokenCacheEnv, { env: value === undefined ? {} : { TOKEN_CACHE_TTL_MS: value }, envFile: false });
    expect(ttl().TOKEN_CACHE_TTL_MS).toBe(30_000);
    expect(ttl('0').TOKEN_CACHE_TTL_MS).toBe(0);
    expect(ttl('300000').TOKEN_CACHE_TTL_MS).toBe(300_000);
    expect(() => ttl('-1')).toThrow(/TOKEN_CACHE_TTL_MS:/);
    expect(() => ttl('300001')).toThrow(/TOKEN_CACHE_TTL_MS:/);
    expect(() => ttl('1.5')).toThrow(/TOKEN_CACHE_TTL_MS:/);
  });

  it('runs cross-field rules on the parsed values and refuses every problem they report at once', () => {
    const rules = [
      (c: { PORT: number }) => (c.PORT === 3001 ? 'PORT: 3001 is taken by the rule' : undefined),
      (c: { NODE_ENV: string }) => (c.NODE_ENV === 'test' ? undefined : `NODE_ENV: ${c.NODE_ENV} is not test`),
    ];
    expect(() => loadConfig(shape, { env: {}, envFile: false }, rules)).toThrow(
      /PORT: 3001 is taken[\s\S]*NODE_ENV: development is not test/,
    );
    expect(loadConfig(shape, { env: { PORT: '3009', NODE_ENV: 'test' }, envFile: false }, rules).PORT).toBe(3009);
  });
});
