import express, { Express } from 'express';
import type { DataSource } from 'typeorm';
import { applyCommonMiddleware, applyErrorHandling, requireUser, serveApiDocs } from '@shop/express-kit';
import { healthRoutes } from '@shop/http-kit';
import type { AuthenticatedUser } from '@shop/internal-auth';
import { httpHealthCheck, type Logger, type Metrics } from '@shop/observability';
import type { OrderServiceConfig } from './config';
import type { ServiceClients } from './clients';
import { Store } from './database';
import { cartRoutes } from './cart/cart.routes';
import { createCartUseCases } from './cart/cart-use-cases';
import { buildOpenApiDocument } from './openapi';
import { createOrderJobs, OrderJobs } from './orders/jobs/order-jobs';
import { orderRoutes } from './orders/order.routes';
import { createOrderUseCases } from './orders/order-use-cases';

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
  const orders = createOrderUseCases(orderUseCaseDeps({ config, logger, store, clients }));
  const cart = createCartUseCases({ store, products: clients.products, orders, logger, limits });
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

  serveApiDocs(app, buildOpenApiDocument(limits), { path: '/api/docs', title: 'Order service API' });

  app.use('/api/orders', orderRoutes({ orders, authenticate, limits }));
  app.use('/api/cart', cartRoutes({ cart, authenticate, limits }));
  applyErrorHandling(app, logger, { storage: { name: 'order database', engine: 'PostgreSQL' } });
  return app;
}

/** The background work beside the app, built from the same parts (orders/jobs/order-jobs.ts). */
export function createBackgroundJobs({ dataSource, ...deps }: AppDeps): OrderJobs {
  return createOrderJobs({ ...deps, store: new Store(dataSource) });
}

export type BackgroundJobs = OrderJobs;

function orderLimits(config: OrderServiceConfig) {
  return { maxLines: config.MAX_ORDER_LINES, maxQuantity: config.MAX_ITEM_QUANTITY };
}

function orderUseCaseDeps({ config, logger, store, clients }: Pick<AppDeps, 'config' | 'logger' | 'clients'> & { store: Store }) {
  return {
    store,
    products: clients.products,
    logger,
    limits: orderLimits(config),
    idempotencyWaitMs: config.IDEMPOTENCY_WAIT_MS,
    // The cancel's own release attempt is one call: its relay retry waits past it.
    releaseGraceMs: 2 * config.SERVICE_TIMEOUT_MS,
  };
}
