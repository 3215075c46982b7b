import { commonEnv, ConfigError, loadConfig, LoadConfigOptions, port, positiveInt, redisEnv, secret, z } from '@shop/config';
import { emailSchema, newPasswordSchema } from './users/user.schemas';

/** `3600` (seconds, as jsonwebtoken reads a number), `90s`, `15m`, `24h` or `7d`, as whole seconds. */
const durationInSeconds = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
      const seconds = match ? Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'] : 0;
      if (seconds > 0) return seconds;
      ctx.addIssue({ code: 'custom', message: 'must be a positive duration such as 3600, 15m, 24h or 7d' });
      return z.NEVER;
    });

const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;

/** Express's `trust proxy`: `true`/`false`, a hop count, or `loopback`, addresses and subnets, comma-separated. */
const trustProxy = z
  .string()
  .default('loopback')
  .transform((value): boolean | number | string => {
    const trimmed = value.trim();
    if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
    return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
  });

/**
 * Every variable the User service reads, with its development default (a fresh clone runs with
 * no .env at all). With NODE_ENV=production the service refuses to start on a development secret.
 */
export const userServiceEnv = {
  ...commonEnv,
  PORT: port(3001),
  MONGODB_URI: z.string().min(1).default('mongodb://localhost:27017/user_service'),

  /** HS256 signing key of the JWTs; in production it must be changed and at least 32 characters. */
  JWT_SECRET: secret('user_service_jwt_secret_key'),
  /** Lifetime of a token (seconds, or 15m / 24h / 7d). */
  JWT_EXPIRES_IN: durationInSeconds('24h'),
  /** The `iss` claim set on every token and required when one is verified. */
  JWT_ISSUER: z.string().min(1).default('shop-user-service'),
  /** bcrypt cost: each step doubles the work. Tests use 4 (the minimum) to stay fast. */
  BCRYPT_ROUNDS: z.coerce.number().int().min(4).max(15).default(10),

  /**
   * The first admin, created at start-up when both are set and no user has that email yet
   * (idempotent: an existing account is never touched). The service has no default: without
   * them no admin is created (scripts/start-services.sh passes development values). The password
   * must meet the password policy; in production it must be at least 12 characters and not the
   * development one, so no development-grade password can guard the admin of a live shop.
   */
  ADMIN_EMAIL: emailSchema.optional(),
  ADMIN_PASSWORD: newPasswordSchema.optional(),

  /**
   * Brute-force protection. Failed logins are counted per (email, client address): after
   * LOGIN_MAX_FAILURES failures within LOGIN_FAILURE_WINDOW_MS that pair gets 429 with Retry-After,
   * while other accounts and other clients carry on. The same budget applies to wrong current
   * passwords on a password change (per account). Besides, every client address may send at most
   * AUTH_RATE_LIMIT_MAX register/login requests per AUTH_RATE_LIMIT_WINDOW_MS.
   * The counters live in Redis (REDIS_HOST, REDIS_PORT, keys under RATE_LIMIT_PREFIX), so all
   * instances share them; while Redis is unreachable they count in each process's memory
   * (fail open, still limited: auth/rate-limit-store.ts).
   */
  LOGIN_MAX_FAILURES: positiveInt(10),
  LOGIN_FAILURE_WINDOW_MS: positiveInt(FIFTEEN_MINUTES_MS),
  AUTH_RATE_LIMIT_MAX: positiveInt(100),
  AUTH_RATE_LIMIT_WINDOW_MS: positiveInt(FIFTEEN_MINUTES_MS),
  ...redisEnv,
  RATE_LIMIT_PREFIX: z.string().min(1).default('user-service:rl'),
  /**
   * The proxies whose X-Forwarded-For is believed, so the limits key on the client, not on the
   * ingress. Set it to the ingress's addresses or subnet (or a hop count); never `true` on a
   * port clients can reach directly, or they choose their own address.
   */
  TRUST_PROXY: trustProxy,
};

export type UserServiceConfig = ReturnType<typeof loadConfig<typeof userServiceEnv>>;

const MIN_PRODUCTION_JWT_SECRET_LENGTH = 32;
const MIN_PRODUCTION_ADMIN_PASSWORD_LENGTH = 12;
/** The admin password scripts/start-services.sh hands out on development machines. */
export const DEVELOPMENT_ADMIN_PASSWORD = 'admin-dev-password-1';

/** Reads and checks the configuration once, at start-up; throws ConfigError naming each problem. */
export function loadUserServiceConfig(options: LoadConfigOptions = {}): UserServiceConfig {
  const config = loadConfig(userServiceEnv, options);
  const problems: string[] = [];
  if ((config.ADMIN_EMAIL === undefined) !== (config.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD: set both to create the first admin, or neither');
  }
  if (config.NODE_ENV === 'production') {
    if (config.JWT_SECRET.length < MIN_PRODUCTION_JWT_SECRET_LENGTH) {
      problems.push(`JWT_SECRET: must be at least ${MIN_PRODUCTION_JWT_SECRET_LENGTH} characters in production`);
    }
    if (config.ADMIN_PASSWORD === DEVELOPMENT_ADMIN_PASSWORD) {
      problems.push('ADMIN_PASSWORD: still the development default; set a real password before running with NODE_ENV=production');
    } else if (config.ADMIN_PASSWORD !== undefined && config.ADMIN_PASSWORD.length < MIN_PRODUCTION_ADMIN_PASSWORD_LENGTH) {
      problems.push(`ADMIN_PASSWORD: must be at least ${MIN_PRODUCTION_ADMIN_PASSWORD_LENGTH} characters in production`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
