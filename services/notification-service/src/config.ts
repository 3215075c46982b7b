import type { LoadConfigOptions } from '@shop/config';
import {
  booleanFlag,
  commonEnv,
  loadConfig,
  nonNegativeInt,
  port,
  positiveInt,
  redisEnv,
  serviceUrlsEnv,
  tokenCacheEnv,
  z,
} from '@shop/config';

export const SERVICE_NAME = 'notification-service';

export const notificationServiceEnv = {
  ...commonEnv,
  PORT: port(3004),
  MONGODB_URI: z.string().min(1).default('mongodb://localhost:27017/notification_service'),
  ...redisEnv,
  /** Prefix of every Bull key in Redis (tests use a unique one, so they never share a queue). */
  BULL_PREFIX: z.string().min(1).default('bull'),
  NOTIFICATION_QUEUE: z.string().min(1).default('notifications'),

  SMTP_HOST: z.string().min(1).default('localhost'),
  /** 1025: the usual port of a local mail catcher (the start script runs one in development). */
  SMTP_PORT: port(1025),
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  SMTP_SECURE: booleanFlag(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().min(1).default('Shop <no-reply@shop.local>'),

  /** Delivery attempts per notification, the first included. */
  NOTIFY_MAX_ATTEMPTS: positiveInt(5),
  /** First retry delay; each further retry waits twice as long. */
  NOTIFY_BACKOFF_MS: positiveInt(2000),
  /**
   * How long one delivery attempt holds its notification. Comfortably longer than the slowest
   * attempt (User service lookup with its retries, SMTP timeouts scaled to half of it: 60 s of the
   * default 2 min), so a live attempt keeps it; an attempt that still outlives it writes nothing
   * (fenced). It is also how long a crashed worker's notifications wait before another takes them.
   */
  NOTIFY_CLAIM_LEASE_MS: positiveInt(120_000),
  /** Notifications one worker process delivers at the same time. */
  NOTIFY_CONCURRENCY: positiveInt(20),

  /** How often the sweeper looks for stored notifications that have no live job. */
  REQUEUE_INTERVAL_MS: positiveInt(30_000),
  /** Only notifications queued longer ago than this are re-queued (younger ones are still being added). */
  REQUEUE_AFTER_MS: nonNegativeInt(15_000),

  ...tokenCacheEnv,

  /** Run the HTTP API (notifications routes, queue dashboard, docs); health and metrics are always served. */
  API_ENABLED: booleanFlag(true),
  /** Run the delivery worker and the re-queue sweeper in this process. */
  WORKER_ENABLED: booleanFlag(true),

  ...serviceUrlsEnv,
};

export type NotificationServiceConfig = Readonly<z.infer<z.ZodObject<typeof notificationServiceEnv>>>;

export function loadNotificationServiceConfig(options?: LoadConfigOptions): NotificationServiceConfig {
  return loadConfig(notificationServiceEnv, options);
}
