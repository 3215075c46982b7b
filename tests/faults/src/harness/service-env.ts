export type ServiceName = 'user' | 'product' | 'order' | 'notification';
/** The User service first (the others ask it), the Order service last. */
export const START_ORDER: ServiceName[] = ['user', 'product', 'notification', 'order'];

/** One route from a service to something it calls; each gets a Toxiproxy proxy of its own. */
export interface Route {
  name: string;
  from: ServiceName;
  target: 'user' | 'product' | 'notification' | 'postgres' | 'mongo' | 'redis' | 'smtp';
}

export const ROUTES: Route[] = [
  { name: 'order-user', from: 'order', target: 'user' },
  { name: 'order-product', from: 'order', target: 'product' },
  { name: 'order-notification', from: 'order', target: 'notification' },
  { name: 'order-postgres', from: 'order', target: 'postgres' },
  { name: 'product-user', from: 'product', target: 'user' },
  { name: 'product-postgres', from: 'product', target: 'postgres' },
  { name: 'notification-user', from: 'notification', target: 'user' },
  { name: 'notification-mongo', from: 'notification', target: 'mongo' },
  { name: 'notification-redis', from: 'notification', target: 'redis' },
  { name: 'notification-smtp', from: 'notification', target: 'smtp' },
  { name: 'user-mongo', from: 'user', target: 'mongo' },
  { name: 'user-redis', from: 'user', target: 'redis' },
];

/** The timings the suite runs the services with: short, so that faults and recoveries take seconds. */
export interface FaultSettings {
  serviceTimeoutMs: number;
  /** Intervals of the sweepers (stale orders, outbox, reconciliation, reservations, re-queue). */
  sweepIntervalMs: number;
  /** Asked-for age before the stale-order recovery and the reconciliation act; raised to the service's floor + sweepMarginMs. */
  staleAfterMs: number;
  sweepMarginMs: number;
  reservationTtlMs: number;
  /**
   * How long a delivery attempt holds its notification. It must outlast the Notification
   * service's MongoDB watchdog (it reopens a stuck connection after 15 s) plus the write of
   * `sent`, or an email sent just before a MongoDB restart is fenced and sent again.
   */
  notifyClaimLeaseMs: number;
}

export interface EnvInputs {
  settings: FaultSettings;
  proxyPorts: Record<string, number>;
  internalApiKey: string;
  admin: { email: string; password: string };
  bullPrefix: string;
}

/** Production wiring, every dependency reached through its proxy, with the suite's short timings. */
export function serviceEnvironments(r: EnvInputs): Record<ServiceName, Record<string, string>> {
  const s = r.settings;
  const via = (route: string) => `127.0.0.1:${r.proxyPorts[route]}`;
  const http = (route: string) => `http://${via(route)}`;
  const postgres = (route: string, database: string) => ({
    DB_HOST: '127.0.0.1',
    DB_PORT: String(r.proxyPorts[route]),
    DB_USERNAME: 'postgres',
    DB_PASSWORD: 'password',
    DB_NAME: database,
  });
  const common = {
    NODE_ENV: 'test',
    // FAULTS_LOG_LEVEL=info shows every delivery and placement in a failed fault's saved logs.
    LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'warn',
    INTERNAL_API_KEY: r.internalApiKey,
    SERVICE_TIMEOUT_MS: String(s.serviceTimeoutMs),
    // A validated token is reused this long: short, so that a User service outage shows.
    TOKEN_CACHE_TTL_MS: '2000',
    BREAKER_HALF_OPEN_MS: '1000',
  };
  const interval = String(s.sweepIntervalMs);
  return {
    user: {
      ...common,
      MONGODB_URI: `mongodb://${via('user-mongo')}/user_service`,
      // The shared login throttle, on the suite's own Redis (never a Redis of the machine's).
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(r.proxyPorts['user-redis']),
      JWT_SECRET: 'faults-jwt-secret-that-is-long-enough-0123456789',
      BCRYPT_ROUNDS: '4',
      ADMIN_EMAIL: r.admin.email,
      ADMIN_PASSWORD: r.admin.password,
      // Every client of the suite is 127.0.0.1: the per-client limits would otherwise trip.
      AUTH_RATE_LIMIT_MAX: '100000',
      LOGIN_MAX_FAILURES: '1000',
    },
    product: {
      ...common,
      ...postgres('product-postgres', 'product_service'),
      USER_SERVICE_URL: http('product-user'),
      RESERVATION_TTL_MS: String(s.reservationTtlMs),
      RESERVATION_SWEEP_INTERVAL_MS: interval,
    },
    notification: {
      ...common,
      MONGODB_URI: `mongodb://${via('notification-mongo')}/notification_service`,
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(r.proxyPorts['notification-redis']),
      BULL_PREFIX: r.bullPrefix,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(r.proxyPorts['notification-smtp']),
      USER_SERVICE_URL: http('notification-user'),
      // About 30 s of retries (1+2+4+8+16 s): outlives the outages the suite injects.
      // No attempt cap: the retry window (a day) decides, so no outage of the suite ends an email `failed`.
      NOTIFY_BACKOFF_MS: '1000',
      NOTIFY_BACKOFF_MAX_MS: '5000',
      // A killed worker's notifications wait this long for another worker (SMTP timeouts scale with it).
      NOTIFY_CLAIM_LEASE_MS: String(s.notifyClaimLeaseMs),
      REQUEUE_INTERVAL_MS: interval,
      REQUEUE_AFTER_MS: '3000',
    },
    order: {
      ...common,
      ...postgres('order-postgres', 'order_service'),
      USER_SERVICE_URL: http('order-user'),
      PRODUCT_SERVICE_URL: http('order-product'),
      NOTIFICATION_SERVICE_URL: http('order-notification'),
      IDEMPOTENCY_WAIT_MS: '5000',
      OUTBOX_POLL_INTERVAL_MS: '200',
      OUTBOX_INITIAL_BACKOFF_MS: '200',
      OUTBOX_MAX_BACKOFF_MS: '1000',
      OUTBOX_LEASE_MS: '10000',
      STALE_ORDER_SWEEP_INTERVAL_MS: interval,
      STALE_ORDER_AFTER_MS: String(s.staleAfterMs),
      RECONCILE_INTERVAL_MS: interval,
      RECONCILE_AFTER_MS: String(s.staleAfterMs),
    },
  };
}
