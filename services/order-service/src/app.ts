import express, { Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { DataSource } from 'typeorm';
import { applyCommonMiddleware, applyErrorHandling, docsContentSecurityPolicy, healthRoutes, requireUser } from '@shop/express-kit';
import type { AuthenticatedUser } from '@shop/internal-auth';
import { httpHealthCheck, type Logger, type Metrics } from '@shop/observability';
import type { OrderServiceConfig } from './config';
import type { ServiceClients } from './clients';
import { Store } from './database';
import { cartRoutes } from './cart/cart.routes';
import { CartService } from './cart/cart.service';
import { buildOpenApiDocument } from './openapi';
import { orderRoutes } from './orders/order.routes';
import { OrderService } from './orders/order.service';
import { OrderReconciler } from './orders/jobs/order-reconciler';
import { OrderReconciliation } from './orders/order-reconciliation';
import { OrderRecovery } from './orders/order-recovery';
import { StaleOrderSweeper } from './orders/jobs/stale-order.sweeper';
import { deliverNotifications } from './outbox/notification-delivery';
import { byTopic, OutboxRelay } from './outbox/outbox-relay';

export interface AppDeps {
  config: OrderServiceConfig;
  logger: Logger;
  metrics: Metrics;
  /** Connected and migrated (see connectAndMigrate). */
  dataSource: DataSource;
  clients: ServiceClients;
}

/** Builds the Express app of the Order service. Never listens and never connects. */
export function createApp({ config, logger, metrics, dataSource, clients }: AppDeps): Express {
  const store = new Store(dataSource);
  const limits = orderLimits(config);
  const orders = createOrderService({ config, logger, store, clients });
  const cart = new CartService({ store, products: clients.products, orders, logger, limits });
  // The token travels with this request only; the client caches validations briefly (TOKEN_CACHE_TTL_MS).
  const authenticate = requireUser(async (token): Promise<AuthenticatedUser> => (await clients.users.validateToken(token)).user);

  const app = express();
  applyCommonMiddleware(app, { logger, metrics, bodyLimit: config.BODY_LIMIT });
  app.use(
    healthRoutes({
      service: 'order-service',
      timeoutMs: 1500,
      checks: { postgres: () => store.ping() },
      dependencies: {
        'user-service': httpHealthCheck(config.USER_SERVICE_URL),
        'product-service': httpHealthCheck(config.PRODUCT_SERVICE_URL),
        'notification-service': httpHealthCheck(config.NOTIFICATION_SERVICE_URL),
      },
    }),
  );

  const openApi = buildOpenApiDocument(limits);
  app.get('/api/docs.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/api/docs', docsContentSecurityPolicy(), swaggerUi.serve, swaggerUi.setup(openApi, { customSiteTitle: 'Order service API' }));

  app.use('/api/orders', orderRoutes({ orders, authenticate, limits }));
  app.use('/api/cart', cartRoutes({ cart, authenticate, limits }));
  applyErrorHandling(app, logger, { storage: { name: 'order database', engine: 'PostgreSQL' } });
  return app;
}

/**
 * The background work beside the app, built from the same parts: the outbox relay (emails and
 * stock releases), the stale-order sweeper and the reconciliation. main.ts starts and stops
 * them (tests call their runOnce()).
 */
export function createBackgroundJobs({ config, logger, metrics, dataSource, clients }: AppDeps) {
  const store = new Store(dataSource);
  const recovery = new OrderRecovery({ store, products: clients.products });
  const relay = new OutboxRelay(
    store.outbox,
    byTopic({
      notification: deliverNotifications(clients.notifications),
      'stock-release': recovery.releaseStock,
    }),
    {
      pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
      batchSize: config.OUTBOX_BATCH_SIZE,
      initialBackoffMs: config.OUTBOX_INITIAL_BACKOFF_MS,
      maxBackoffMs: config.OUTBOX_MAX_BACKOFF_MS,
      leaseMs: config.OUTBOX_LEASE_MS,
    },
    logger.child({ component: 'outbox-relay' }),
  );
  const sweeper = new StaleOrderSweeper(
    recovery,
    { intervalMs: config.STALE_ORDER_SWEEP_INTERVAL_MS, staleAfterMs: config.STALE_ORDER_AFTER_MS },
    logger.child({ component: 'stale-order-sweeper' }),
    metrics,
  );
  const reconcilerLogger = logger.child({ component: 'reconciliation' });
  const reconciler = new OrderReconciler(
    new OrderReconciliation(
      { store, products: clients.products, logger: reconcilerLogger },
      { settleMs: config.RECONCILE_AFTER_MS, windowMs: config.RECONCILE_WINDOW_MS, pageSize: 200 },
    ),
    config.RECONCILE_INTERVAL_MS,
    reconcilerLogger,
    metrics,
  );
  return {
    relay,
    sweeper,
    reconciler,
    start(): void {
      relay.start();
      sweeper.start();
      reconciler.start();
    },
    /** Waits for the work in flight. */
    async stop(): Promise<void> {
      await Promise.all([relay.stop(), sweeper.stop(), reconciler.stop()]);
    },
  };
}

export type BackgroundJobs = ReturnType<typeof createBackgroundJobs>;

function orderLimits(config: OrderServiceConfig) {
  return { maxLines: config.MAX_ORDER_LINES, maxQuantity: config.MAX_ITEM_QUANTITY };
}

function createOrderService({
  config,
  logger,
  store,
  clients,
}: Pick<AppDeps, 'config' | 'logger' | 'clients'> & { store: Store }): OrderService {
  return new OrderService({
    store,
    products: clients.products,
    logger,
    limits: orderLimits(config),
    idempotencyWaitMs: config.IDEMPOTENCY_WAIT_MS,
    // The cancel's own release attempt is one call: its relay retry waits past it.
    releaseGraceMs: 2 * config.SERVICE_TIMEOUT_MS,
  });
}
