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
import { StaleOrderSweeper } from './orders/stale-order.sweeper';
import { OutboxRelay } from './outbox/outbox-relay';

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
  applyErrorHandling(app, logger);
  return app;
}

/** The relay that delivers queued notifications; main.ts starts and stops it (tests too). */
export function createOutboxRelay({ config, logger, dataSource, clients }: Omit<AppDeps, 'metrics'>): OutboxRelay {
  return new OutboxRelay(
    new Store(dataSource).outbox,
    async (message) => {
      await clients.notifications.create(message.payload);
    },
    {
      pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
      batchSize: config.OUTBOX_BATCH_SIZE,
      initialBackoffMs: config.OUTBOX_INITIAL_BACKOFF_MS,
      maxBackoffMs: config.OUTBOX_MAX_BACKOFF_MS,
      leaseMs: config.OUTBOX_LEASE_MS,
    },
    logger.child({ component: 'outbox-relay' }),
  );
}

/**
 * The recovery of orders whose placement never finished (crash, or a failed compensation);
 * main.ts starts and stops it next to the outbox relay (tests call runOnce()).
 */
export function createStaleOrderSweeper({ config, logger, metrics, dataSource, clients }: AppDeps): StaleOrderSweeper {
  const component = logger.child({ component: 'stale-order-sweeper' });
  return new StaleOrderSweeper(
    createOrderService({ config, logger: component, store: new Store(dataSource), clients }),
    { intervalMs: config.STALE_ORDER_SWEEP_INTERVAL_MS, staleAfterMs: config.STALE_ORDER_AFTER_MS },
    component,
    metrics,
  );
}

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
  });
}
