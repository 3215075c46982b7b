import { Server } from 'node:http';
import { Connection } from 'mongoose';
import request from 'supertest';
import { createSilentLogger, Metrics } from '@shop/observability';
import { createTestMongoDatabase, TestMongoDatabase, uniqueName } from '@shop/test-kit';
import { createApp } from './app';
import { loadUserServiceConfig, UserServiceConfig } from './config';
import { connectMongo, ensureIndexes } from './database';

export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';
export const INTERNAL_KEY = 'test-internal-key-current';
export const PREVIOUS_INTERNAL_KEY = 'test-internal-key-previous';
export const STRONG_PASSWORD = 'correct-horse-42';

export interface TestApp {
  http: ReturnType<typeof request>;
  config: UserServiceConfig;
  connection: Connection;
  database: TestMongoDatabase;
  close(): Promise<void>;
}

/**
 * The real app on its own MongoDB database and an ephemeral port. Generous request budgets by
 * default, so only the tests about limits meet them.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = createTestMongoDatabase('user_service_test');
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
      ...env,
    },
  });
  const connection = await connectMongo(config.MONGODB_URI);
  await ensureIndexes(connection);
  const app = createApp({
    config,
    logger: createSilentLogger(),
    metrics: new Metrics('user-service', { defaultMetrics: false }),
    connection,
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    http: request(server),
    config,
    connection,
    database,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
      await database.drop();
    },
  };
}

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
