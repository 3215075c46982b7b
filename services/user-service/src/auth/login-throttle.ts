import { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, RateLimitInfo, Store } from 'express-rate-limit';
import { RateLimitedError } from '@shop/errors';
import { Logger } from '@shop/observability';

/**
 * Rate limits of the authentication endpoints. Each limiter counts in a store shared by every
 * instance of the service (Redis, see rate-limit-store.ts), so several instances behind a load
 * balancer hold one budget instead of multiplying it. Refusals are ordinary AppErrors, so they
 * leave in the error envelope with Retry-After.
 */

interface LimiterOptions {
  /** Where the counts live; one store per limiter. */
  store: Store;
  windowMs: number;
  limit: number;
  logger: Logger;
  code: string;
  message: string;
}

export interface FailedAttemptsOptions extends LimiterOptions {
  /** Who is guessing at what, e.g. `email|client address`. */
  key: (req: Request) => string;
  /** The response status that counts as a failed attempt (401 wrong password, 403 wrong current password). */
  failureStatus: number;
  /** Requests that cannot fail this way (e.g. a profile update without a password) pass uncounted. */
  appliesTo?: (req: Request) => boolean;
}

function limiter(options: LimiterOptions, extra: Parameters<typeof rateLimit>[0]): RequestHandler {
  return rateLimit({
    store: options.store,
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    logger: {
      warn: (err, message) => options.logger.warn({ err }, message ?? 'rate limiter warning'),
      error: (err, message) => options.logger.error({ err }, message ?? 'rate limiter error'),
    },
    handler: (req, _res, next) => {
      const { resetTime } = (req as Request & { rateLimit: RateLimitInfo }).rateLimit;
      const retryAfter = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : Math.ceil(options.windowMs / 1000);
      next(new RateLimitedError(options.message, retryAfter, { code: options.code }));
    },
    ...extra,
  });
}

/**
 * Counts only failed attempts (a success or a 400 costs nothing) and blocks that key once
 * `limit` failures fall in one window. Attempts in flight are counted when they start, so a
 * burst of parallel guesses cannot slip past the limit.
 */
export function failedAttemptsLimiter(options: FailedAttemptsOptions): RequestHandler {
  const { appliesTo } = options;
  return limiter(options, {
    keyGenerator: options.key,
    skip: appliesTo && ((req) => !appliesTo(req)),
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== options.failureStatus,
  });
}

/** The client address as the limiters key it (IPv6 clients by /56 subnet, as express-rate-limit advises). */
export function clientAddress(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/** A looser budget for every request per client address (register and login together). */
export function perClientLimiter(options: LimiterOptions): RequestHandler {
  return limiter(options, { keyGenerator: clientAddress });
}

export interface AuthLimiters {
  /** Every register/login request, per client address. */
  perClient: RequestHandler;
  /** Failed logins per (email, client address). Mount after body validation: it keys on the normalised email. */
  failedLogins: RequestHandler;
  /** Wrong current passwords on a password change, per account. Mount after authentication. */
  failedPasswordChanges: RequestHandler;
}

export interface AuthLimitSettings {
  LOGIN_MAX_FAILURES: number;
  LOGIN_FAILURE_WINDOW_MS: number;
  AUTH_RATE_LIMIT_MAX: number;
  AUTH_RATE_LIMIT_WINDOW_MS: number;
}

/** A store for the limiter of that name (its own key space: the limiters never share counts). */
export type LimiterStoreFactory = (limiter: keyof AuthLimiters) => Store;

/** One set per app; instances given stores on one Redis and prefix share their counts. */
export function createAuthLimiters(settings: AuthLimitSettings, logger: Logger, storeFor: LimiterStoreFactory): AuthLimiters {
  const failures = { windowMs: settings.LOGIN_FAILURE_WINDOW_MS, limit: settings.LOGIN_MAX_FAILURES, logger };
  return {
    perClient: perClientLimiter({
      store: storeFor('perClient'),
      windowMs: settings.AUTH_RATE_LIMIT_WINDOW_MS,
      limit: settings.AUTH_RATE_LIMIT_MAX,
      logger,
      code: 'TOO_MANY_REQUESTS',
      message: 'Too many sign-in or registration requests from this address, try again later',
    }),
    failedLogins: failedAttemptsLimiter({
      ...failures,
      store: storeFor('failedLogins'),
      key: (req) => `${String((req.body as { email?: unknown }).email)}|${clientAddress(req)}`,
      failureStatus: 401,
      code: 'TOO_MANY_LOGIN_ATTEMPTS',
      message: 'Too many failed sign-in attempts for this account, try again later',
    }),
    failedPasswordChanges: failedAttemptsLimiter({
      ...failures,
      store: storeFor('failedPasswordChanges'),
      key: (req) => `password-change|${req.user?.id ?? clientAddress(req)}`,
      failureStatus: 403,
      appliesTo: (req) => (req.body as { password?: unknown }).password !== undefined,
      code: 'TOO_MANY_PASSWORD_ATTEMPTS',
      message: 'Too many wrong current passwords, try again later',
    }),
  };
}
