import type { ConfigRule, LoadConfigOptions } from '@shop/config';
import { MONGO_WATCHDOG_REOPEN_AFTER_MS } from '@shop/runtime';
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

  /**
   * How long a notification is retried before it ends `failed` (a metric and a log line; an
   * operator's retry sends it again). A day by default: an SMTP or User service outage of any
   * length shorter than that loses no email.
   */
  NOTIFY_RETRY_WINDOW_MS: positiveInt(24 * 3600_000),
  /** A cap on the attempts per notification as well, the first included (none by default: the window decides). */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().positive().optional(),
  /** First retry delay; each further retry waits twice as long, up to NOTIFY_BACKOFF_MAX_MS. */
  NOTIFY_BACKOFF_MS: positiveInt(2000),
  NOTIFY_BACKOFF_MAX_MS: positiveInt(60_000),
  /**
   * How long one delivery attempt holds its notification. Comfortably longer than the slowest
   * attempt (User service lookup with its retries, SMTP timeouts scaled to half of it: 60 s of the
   * default 2 min), so a live attempt keeps it; an attempt that still outlives it writes `sent`
   * only if no other attempt has claimed the notification since. It is also how long a crashed
   * worker's notifications wait before another takes them. It must be at least twice
   * MONGO_REOPEN_AFTER_MS (checked at start-up), or a write of `sent` held up by a reopen
   * outlives the lease and another attempt sends the email again.
   */
  NOTIFY_CLAIM_LEASE_MS: positiveInt(120_000),
  /** The MongoDB watchdog opens the connection again after this long of failed pings (15 s). */
  MONGO_REOPEN_AFTER_MS: positiveInt(MONGO_WATCHDOG_REOPEN_AFTER_MS),
  /**
   * How long finished claims are kept as tombstones before they are purged in bulk. Within this
   * time after a notification was stored, an attempt claims it with one insert; later attempts
   * first read the latest claim and the notification (see DeliveryClaims).
   */
  NOTIFY_CLAIM_RETENTION_MS: positiveInt(10 * 60_000),
  /** `sent` is written for every notification sent within this many ms in one bulk write. */
  NOTIFY_SENT_FLUSH_MS: nonNegativeInt(5),
  /** Notifications one worker process delivers at the same time. */
  NOTIFY_CONCURRENCY: positiveInt(20),
  /** SMTP connections one process keeps open (the pool); a send waits for a free one at most SMTP_POOL_WAIT_MS. */
  SMTP_MAX_CONNECTIONS: positiveInt(10),
  SMTP_POOL_WAIT_MS: positiveInt(10_000),

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

/** How many watchdog reopens a claim's lease must outlast. */
const LEASE_REOPENS = 2;

/** Settings that are each valid but together would break a guarantee; the service refuses to start on them. */
export const notificationConfigRules: ConfigRule<NotificationServiceConfig>[] = [
  (c) => {
    const floor = LEASE_REOPENS * c.MONGO_REOPEN_AFTER_MS;
    if (c.NOTIFY_CLAIM_LEASE_MS >= floor) return undefined;
    return (
      `NOTIFY_CLAIM_LEASE_MS: ${c.NOTIFY_CLAIM_LEASE_MS} must be at least ${floor} (${LEASE_REOPENS} × MONGO_REOPEN_AFTER_MS=${c.MONGO_REOPEN_AFTER_MS}): ` +
      'an email sent just before a MongoDB restart has its `sent` written only once the watchdog has reopened the connection, ' +
      'and a lease that ran out first lets another attempt send it again'
    );
  },
];

export function loadNotificationServiceConfig(options?: LoadConfigOptions): NotificationServiceConfig {
  return loadConfig(notificationServiceEnv, options, notificationConfigRules);
}
