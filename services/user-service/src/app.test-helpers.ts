import { Server } from 'node:http';
import { Connection } from 'mongoose';
import request from 'supertest';
import { createSilentLogger, Metrics } from '@shop/observability';
import { deleteRedisKeys, TestMongoDatabase, testRedis, uniqueName } from '@shop/test-kit';
import { createApp } from './app';
import { loadUserServiceConfig, UserServiceConfig } from './config';
import { createTestDatabase } from './database.test-helpers';
import { userModel } from './users/user.model';
import { connectRedis } from './redis';

export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';
export const INTERNAL_KEY = 'test-internal-key-current';
export const PREVIOUS_INTERNAL_KEY = 'test-internal-key-previous';
export const STRONG_PASSWORD = 'correct-horse-42';

export interface TestApp {
  http: ReturnType<typeof request>;
  config: UserServiceConfig;
  connection: Connection;
  database: TestMongoDatabase;
  rateLimitPrefix: string;
  close(): Promise<void>;
}

export interface SharedState {
  /** Another instance's database: this one uses it too, and leaves dropping it to the owner. */
  database?: TestMongoDatabase;
  /** Another instance's rate-limit keys in Redis: this one counts against them too. */
  rateLimitPrefix?: string;
  /** false: Redis is expected to be unreachable (REDIS_PORT in env says where), so don't wait for it. */
  redisReachable?: boolean;
}

/**
 * The real app on its own MongoDB database, its own rate-limit keys in the shared Redis and an
 * ephemeral port; `shared` makes it a second instance of another one. Generous request budgets
 * by default, so only the tests about limits meet them.
 */
export async function startTestApp(env: Record<string, string> = {}, shared: SharedState = {}): Promise<TestApp> {
  const db = await createTestDatabase(shared.database);
  const { database, connection } = db;
  const rateLimitPrefix = shared.rateLimitPrefix ?? uniqueName('user_rl_test');
  const config = loadUserServiceConfig({
    envFile: false,
    env: {
      NODE_ENV: 'test',
      MONGODB_URI: database.uri,
      JWT_SECRET: TEST_JWT_SECRET,
      INTERNAL_API_KEY: `${INTERNAL_KEY},${PREVIOUS_INTERNAL_KEY}`,
      BCRYPT_ROUNDS: '4',
      AUTH_RATE_LIMIT_MAX: '10000',
      BODY_LIMIT: '10kb',
      REDIS_HOST: testRedis.host,
      REDIS_PORT: String(testRedis.port),
      RATE_LIMIT_PREFIX: rateLimitPrefix,
      ...env,
    },
  });
  const logger = createSilentLogger();
  const redis = connectRedis({ host: config.REDIS_HOST, port: config.REDIS_PORT }, logger);
  if (shared.redisReachable !== false) {
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', () => resolve());
      redis.once('error', reject);
    });
  }
  const app = createApp({
    config,
    logger,
    metrics: new Metrics('user-service', { defaultMetrics: false }),
    connection,
    redis,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    http: request(server),
    config,
    connection,
    database,
    rateLimitPrefix,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
      if (shared.redisReachable === false) redis.disconnect();
      else await redis.quit();
      if (!shared.rateLimitPrefix) await deleteRedisKeys(rateLimitPrefix);
    },
  };
}

/**
 * One app for the whole test file, started before its tests and closed after them:
 * `const app = useTestApp();` at the top of the file, then `app.http` in the tests.
 */
export function useTestApp(env: Record<string, string> = {}): TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp(env);
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as TestApp, {
    get(_target, key) {
      if (!started) throw new Error('The test app is used before beforeAll started it');
      return started[key as keyof TestApp];
    },
  });
}

/** The user as stored (hash and all), read straight from MongoDB. */
export const storedUser = (app: TestApp, id: string) => userModel(app.connection).findById(id).lean();

export interface RegisteredUser {
  id: string;
  email: string;
  password: string;
  token: string;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${uniqueName(prefix)}@example.com`;
}

/** Registers a fresh customer and returns its credentials. */
export async function registerUser(app: TestApp, overrides: Record<string, unknown> = {}): Promise<RegisteredUser> {
  const body = { firstName: 'Ann', lastName: 'Smith', email: uniqueEmail(), password: STRONG_PASSWORD, ...overrides };
  const res = await app.http.post('/api/users/register').send(body);
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${res.text}`);
  return { id: res.body.data.user.id, email: res.body.data.user.email, password: String(body.password), token: res.body.data.token };
}

/** A bcrypt hash in any form, or the field names that must never leave the service. */
export const SECRET_PATTERN = /\$2[aby]\$|passwordHash|tokenVersion/;
