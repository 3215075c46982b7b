import express, { Express } from 'express';
import type Redis from 'ioredis';
import { Connection } from 'mongoose';
import { Counter } from 'prom-client';
import { applyCommonMiddleware, applyErrorHandling, requireUser, serveApiDocs } from '@shop/express-kit';
import { healthRoutes } from '@shop/http-kit';
import { parseInternalKeys } from '@shop/internal-auth';
import { Logger, Metrics } from '@shop/observability';
import { AuthUseCases, createAuthUseCases } from './auth/auth-use-cases';
import { authRoutes } from './auth/auth.routes';
import { createAuthLimiters } from './auth/login-throttle';
import { fallbackStore, redisRateLimitStore } from './auth/rate-limit-store';
import { TokenService } from './auth/token.service';
import { UserServiceConfig } from './config';
import { buildOpenApiDocument } from './openapi';
import { credentialModel } from './users/credential.model';
import { PasswordHasher } from './users/password-hasher';
import { userModel } from './users/user.model';
import { UserRepository } from './users/user.repository';
import { userRoutes } from './users/user.routes';
import { createUserUseCases, UserUseCases } from './users/user-use-cases';

export interface AppDeps {
  config: UserServiceConfig;
  logger: Logger;
  metrics: Metrics;
  /** Connected by the caller (main.ts, or a test), who also closes it. */
  connection: Connection;
  /** The rate-limit counters' Redis, shared by every instance; connected and closed by the caller. */
  redis: Redis;
}

export interface UseCases {
  auth: AuthUseCases;
  users: UserUseCases;
}

/** The use cases, wired once from config and connection (main.ts also uses them to seed the admin). */
export function createUseCases(config: UserServiceConfig, connection: Connection): UseCases {
  const store = new UserRepository(userModel(connection), credentialModel(connection));
  const passwords = new PasswordHasher(config.BCRYPT_ROUNDS);
  const tokens = new TokenService({ secret: config.JWT_SECRET, expiresInSeconds: config.JWT_EXPIRES_IN, issuer: config.JWT_ISSUER });
  return { auth: createAuthUseCases({ store, passwords, tokens }), users: createUserUseCases({ store, passwords, tokens }) };
}

/** Builds the Express app. It never connects or listens: main.ts (or a test) does. */
export function createApp({ config, logger, metrics, connection, redis }: AppDeps): Express {
  const { auth, users } = createUseCases(config, connection);
  const internalKeys = parseInternalKeys(config.INTERNAL_API_KEY);
  const fallbacks = new Counter({
    name: 'user_rate_limit_fallbacks_total',
    help: 'Rate-limit counts taken in this process because Redis failed (the limits fail open to memory)',
    labelNames: ['limiter'],
    registers: [metrics.registry],
  });
  const limiters = createAuthLimiters(config, logger, (name) =>
    fallbackStore(redisRateLimitStore(redis, `${config.RATE_LIMIT_PREFIX}:${name}:`), {
      limiter: name,
      logger,
      onFallback: () => fallbacks.inc({ limiter: name }),
    }),
  );
  const authenticate = requireUser(async (token) => (await auth.validateToken.execute(token)).user);

  const app = express();
  applyCommonMiddleware(app, { logger, metrics, bodyLimit: config.BODY_LIMIT, trustProxy: config.TRUST_PROXY });
  app.use(
    healthRoutes({
      service: 'user-service',
      checks: {
        mongodb: async () => {
          if (!connection.db) throw new Error('not connected');
          await connection.db.admin().ping();
        },
      },
      // Reported, never gating: it only holds the rate-limit counts, which fall back to memory
      // (rate-limit-store.ts). Gating on it would pull every instance out of the load balancer in
      // a Redis outage, and with them every other service's token checks.
      dependencies: {
        redis: async () => {
          await redis.ping();
        },
      },
    }),
  );
  serveApiDocs(app, buildOpenApiDocument(), { path: '/api-docs', title: 'User service API' });

  app.use('/api/users', authRoutes({ auth, limiters, internalKeys }));
  app.use('/api/users', userRoutes({ users, authenticate, failedPasswordChanges: limiters.failedPasswordChanges, internalKeys }));

  applyErrorHandling(app, logger, { storage: { name: 'user database', engine: 'MongoDB' } });
  return app;
}
