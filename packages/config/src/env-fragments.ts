import { z } from 'zod';
import { secret } from './load-config';

/** The seed's development values: a fresh clone works with no .env at all. */
export const DEVELOPMENT_INTERNAL_API_KEY = 'workshop_internal_key_2023';

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const url = (fallback: string) => z.url().default(fallback);
export const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** Variables every service reads. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: booleanFlag(false),
  /** Comma-separated: the first is sent on our calls, all are accepted (rotation without downtime). */
  INTERNAL_API_KEY: secret(DEVELOPMENT_INTERNAL_API_KEY),
  /** How long an outgoing call may take before it fails with 504. */
  SERVICE_TIMEOUT_MS: positiveInt(3000),
  /** Largest JSON body accepted. */
  BODY_LIMIT: z.string().default('100kb'),
};

export const postgresEnv = (database: string) => ({
  DB_HOST: z.string().default('localhost'),
  DB_PORT: port(5432),
  DB_USERNAME: z.string().default('postgres'),
  DB_PASSWORD: secret('password'),
  DB_NAME: z.string().default(database),
  DB_POOL_SIZE: positiveInt(20),
});

export interface PostgresSettings {
  DB_HOST: string;
  DB_PORT: number;
  DB_USERNAME: string;
  DB_PASSWORD: string;
  DB_NAME: string;
  DB_POOL_SIZE: number;
}

/** How long a request waits for a free pooled connection before failing (answered 503 DATABASE_UNAVAILABLE). */
export const POSTGRES_POOL_TIMEOUT_MS = 5_000;

/**
 * The connection and pool part of a TypeORM PostgreSQL data source, from postgresEnv's variables:
 * the same in every PostgreSQL service (pg's pool: DB_POOL_SIZE connections, a bounded wait).
 */
export const postgresConnectionOptions = (config: PostgresSettings) => ({
  type: 'postgres' as const,
  host: config.DB_HOST,
  port: config.DB_PORT,
  username: config.DB_USERNAME,
  password: config.DB_PASSWORD,
  database: config.DB_NAME,
  extra: { max: config.DB_POOL_SIZE, connectionTimeoutMillis: POSTGRES_POOL_TIMEOUT_MS },
});

export const redisEnv = {
  REDIS_HOST: z.string().default('localhost'),
  REDIS_PORT: port(6379),
};

export const serviceUrlsEnv = {
  USER_SERVICE_URL: url('http://localhost:3001'),
  PRODUCT_SERVICE_URL: url('http://localhost:3002'),
  ORDER_SERVICE_URL: url('http://localhost:3003'),
  NOTIFICATION_SERVICE_URL: url('http://localhost:3004'),
};

/** The longest TOKEN_CACHE_TTL_MS accepted: a revoked token must not live on for long anywhere. */
export const MAX_TOKEN_CACHE_TTL_MS = 300_000;

/**
 * Every service that checks bearer tokens with the User service (Product, Order, Notification)
 * may reuse a validation for TOKEN_CACHE_TTL_MS (never past the token's expiry). That is the
 * bound on revocation: after a password change, a deletion or a demotion, the old token or role
 * is still accepted for up to this long by a service that cached it. 0 asks the User service on
 * every request.
 */
export const tokenCacheEnv = {
  TOKEN_CACHE_TTL_MS: z.coerce.number().int().min(0).max(MAX_TOKEN_CACHE_TTL_MS).default(30_000),
};

export { booleanFlag };
