import { Server } from 'node:http';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createSilentLogger, Metrics } from '@shop/observability';
import {
  createTestMongoDatabase,
  deleteRedisKeys,
  getFreePort,
  SmtpInbox,
  startSmtpInbox,
  startToxiproxy,
  startUserService as startRealUserService,
  TestMongoDatabase,
  testMongoBaseUri,
  testRedis,
  toxiproxyBinary,
  ToxiproxyServer,
  UserServiceFixture,
  uniqueName,
  waitFor,
} from '@shop/test-kit';
import { createApp } from './app';
import { loadNotificationServiceConfig, NotificationServiceConfig, SERVICE_NAME } from './config';
import { TransportOverrides } from './delivery/delivery.module';
import { NotificationRecord } from './notifications/notification.model';
import { NotificationRepository } from './notifications/notification.repository';

export const TEST_INTERNAL_KEY = 'notification-service-tests-internal-key';
export const INTERNAL = { 'X-Internal-Key': TEST_INTERNAL_KEY };
const ADMIN = { email: 'admin@notifications.test', password: 'admin-pass-42' };

export type { TestUser, UserServiceFixture } from '@shop/test-kit';

/** The real User service (test-kit), with this suite's internal key and admin. */
export const startUserService = (): Promise<UserServiceFixture> =>
  startRealUserService({ internalKey: TEST_INTERNAL_KEY, admin: ADMIN, prefix: 'notif_tests_users' });

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
    close: once(() => app.close()),
  };
}

function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/** Deletes every Bull key under `prefix` (this test's queue only). */
/**
 * POSTs one notification with the internal key and returns its id once it is accepted (202):
 * `email` to `userId` unless `fields` says otherwise, the description derived from the title.
 */
export async function queueNotification(
  app: Pick<NotificationAppFixture, 'http'>,
  userId: string,
  title: string,
  fields: { description?: string; notificationType?: 'email' | 'sms' | 'push' } = {},
): Promise<string> {
  const res = await request(app.http)
    .post('/api/notifications')
    .set(INTERNAL)
    .send({ userId, title, description: fields.description ?? `Body of ${title}`, notificationType: fields.notificationType ?? 'email' })
    .expect(202);
  return res.body.data.notification.id as string;
}

export const deleteBullKeys = deleteRedisKeys;

export const bullPrefix = () => uniqueName('notif_test_bull');

/** What a suite of this service runs against: the real User service, an SMTP inbox, its own Mongo database and Bull prefix. */
export interface TestBed {
  users: UserServiceFixture;
  smtp: SmtpInbox;
  mongo: TestMongoDatabase;
  prefix: string;
  /** A Notification app on this bed (any option can be replaced); close() closes it too. */
  start(options?: Partial<NotificationAppOptions>): Promise<NotificationAppFixture>;
  /**
   * An app that reaches its database through a Toxiproxy proxy named `mongo`, for tests that cut
   * MongoDB in the middle of an operation.
   */
  startBehindMongoProxy(
    options?: Partial<NotificationAppOptions>,
  ): Promise<{ service: NotificationAppFixture; toxiproxy: ToxiproxyServer }>;
  /** Closes every app it started, then the User service, the inbox, the database and the Bull keys. */
  close(): Promise<void>;
}

export async function startTestBed(name: string): Promise<TestBed> {
  const users = await startUserService();
  const smtp = await startSmtpInbox();
  const mongo = createTestMongoDatabase(name);
  const prefix = bullPrefix();
  const apps: NotificationAppFixture[] = [];
  const proxies: ToxiproxyServer[] = [];
  const start = async (options: Partial<NotificationAppOptions> = {}) => {
    const app = await startNotificationApp({ userServiceUrl: users.url, mongo, bullPrefix: prefix, smtp, ...options });
    apps.push(app);
    return app;
  };
  return {
    users,
    smtp,
    mongo,
    prefix,
    start,
    async startBehindMongoProxy(options = {}) {
      const toxiproxy = await startToxiproxy({ binary: toxiproxyBinary() });
      proxies.push(toxiproxy);
      const port = await getFreePort();
      const server = new URL(testMongoBaseUri);
      await toxiproxy.createProxy('mongo', `${server.hostname}:${server.port || 27017}`, port);
      const service = await start({ ...options, mongo: { ...mongo, uri: `mongodb://127.0.0.1:${port}/${mongo.name}` } });
      return { service, toxiproxy };
    },
    async close() {
      for (const app of apps.reverse()) await app.close();
      await Promise.all([smtp.close(), users.stop(), mongo.drop(), deleteBullKeys(prefix), ...proxies.map((p) => p.close())]);
    },
  };
}
