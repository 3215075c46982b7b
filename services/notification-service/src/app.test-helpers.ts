import { existsSync } from 'node:fs';
import { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createSilentLogger, Metrics } from '@shop/observability';
import {
  createTestMongoDatabase,
  deleteRedisKeys,
  getFreePort,
  SmtpInbox,
  spawnService,
  SpawnedService,
  TestMongoDatabase,
  testRedis,
  uniqueName,
  waitFor,
} from '@shop/test-kit';
import { createApp } from './app';
import { loadNotificationServiceConfig, NotificationServiceConfig, SERVICE_NAME } from './config';
import { TransportOverrides } from './delivery/delivery.module';
import { NotificationRecord } from './notifications/notification.model';
import { NotificationRepository } from './notifications/notification.repository';

export const TEST_INTERNAL_KEY = 'notification-service-tests-internal-key';
export const USER_SERVICE_DIR = resolve(__dirname, '../../user-service');
const ADMIN = { email: 'admin@notifications.test', password: 'admin-pass-42' };

export interface TestUser {
  id: string;
  email: string;
  token: string;
  phone: string | null;
}

export interface UserServiceFixture {
  url: string;
  process: SpawnedService;
  register(options?: { phone?: string }): Promise<TestUser>;
  loginAdmin(): Promise<TestUser>;
  stop(): Promise<void>;
}

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const envelope = (await res.json()) as { success: boolean; data: T; error?: string };
  if (!res.ok || !envelope.success) throw new Error(`POST ${url} answered ${res.status}: ${envelope.error ?? JSON.stringify(envelope)}`);
  return envelope.data;
}

type AuthData = { user: { id: string; email: string; phone?: string | null }; token: string };
const toTestUser = ({ user, token }: AuthData): TestUser => ({ id: user.id, email: user.email, token, phone: user.phone ?? null });

/**
 * Runs the real User service (its built dist/main.js) on its own database, as in production, with
 * an admin account. The Notification service reads recipients and validates tokens through it.
 */
export async function startUserService(): Promise<UserServiceFixture> {
  if (!existsSync(join(USER_SERVICE_DIR, 'dist', 'main.js'))) {
    throw new Error(
      'services/user-service/dist/main.js does not exist: these tests run the real User service. Build it first: npx tsc -b services/user-service',
    );
  }
  const db = createTestMongoDatabase('notif_tests_users');
  const service = await spawnService({
    name: 'user-service',
    cwd: USER_SERVICE_DIR,
    port: await getFreePort(),
    env: {
      MONGODB_URI: db.uri,
      INTERNAL_API_KEY: TEST_INTERNAL_KEY,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      BCRYPT_ROUNDS: '4',
      AUTH_RATE_LIMIT_MAX: '10000',
    },
  });
  let counter = 0;
  return {
    url: service.url,
    process: service,
    async register(options = {}) {
      counter += 1;
      const email = `${uniqueName(`user${counter}`)}@notifications.test`;
      const body = { firstName: 'Test', lastName: `User${counter}`, email, password: 'secret-pass-42', ...options };
      return toTestUser(await postJson<AuthData>(`${service.url}/api/users/register`, body));
    },
    async loginAdmin() {
      return toTestUser(await postJson<AuthData>(`${service.url}/api/users/login`, ADMIN));
    },
    async stop() {
      await service.stop();
      await db.drop();
    },
  };
}

export interface NotificationAppFixture {
  app: NestExpressApplication;
  http: Server;
  config: NotificationServiceConfig;
  /** The stored notification, read straight from MongoDB. */
  find(id: string): Promise<NotificationRecord | null>;
  /** Waits until the stored notification satisfies `done` (e.g. is sent) and returns it. */
  waitFor(id: string, done: (n: NotificationRecord) => boolean, what?: string): Promise<NotificationRecord>;
  close(): Promise<void>;
}

export interface NotificationAppOptions {
  userServiceUrl: string;
  mongo: TestMongoDatabase;
  bullPrefix: string;
  smtp?: SmtpInbox;
  env?: Record<string, string>;
  transports?: TransportOverrides;
}

/** The Notification service in this process (initialised, not listening: supertest drives it). */
export async function startNotificationApp(options: NotificationAppOptions): Promise<NotificationAppFixture> {
  const config = loadNotificationServiceConfig({
    envFile: false,
    env: {
      NODE_ENV: 'test',
      MONGODB_URI: options.mongo.uri,
      REDIS_HOST: testRedis.host,
      REDIS_PORT: String(testRedis.port),
      BULL_PREFIX: options.bullPrefix,
      USER_SERVICE_URL: options.userServiceUrl,
      INTERNAL_API_KEY: TEST_INTERNAL_KEY,
      SMTP_HOST: options.smtp?.host ?? '127.0.0.1',
      SMTP_PORT: String(options.smtp?.port ?? 1),
      NOTIFY_MAX_ATTEMPTS: '3',
      NOTIFY_BACKOFF_MS: '50',
      // Sweeps run when a test asks (and once at start), not on a timer racing the test.
      REQUEUE_INTERVAL_MS: '3600000',
      REQUEUE_AFTER_MS: '0',
      ...options.env,
    },
  });
  const app = await createApp({
    config,
    logger: createSilentLogger(),
    metrics: new Metrics(SERVICE_NAME, { defaultMetrics: false }),
    transports: options.transports,
  });
  const repository = app.get(NotificationRepository);
  return {
    app,
    http: app.getHttpServer() as Server,
    config,
    find: (id) => repository.findById(id),
    waitFor: (id, done, what) =>
      waitFor(
        async () => {
          const notification = await repository.findById(id);
          return notification && done(notification) ? notification : undefined;
        },
        { timeoutMs: 20_000, what: what ?? `notification ${id}` },
      ),
    close: () => app.close(),
  };
}

/** Deletes every Bull key under `prefix` (this test's queue only). */
export const deleteBullKeys = deleteRedisKeys;

export const bullPrefix = () => uniqueName('notif_test_bull');
