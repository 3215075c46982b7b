import type { Logger, Metrics } from '@shop/observability';
import {
  ClientDefaults,
  createNotificationServiceClient,
  createProductServiceClient,
  createUserServiceClient,
  NotificationServiceClient,
  ProductServiceClient,
  UserServiceClient,
} from '@shop/service-client';
import type { OrderServiceConfig } from './config';

/** The services the Order service calls. */
export interface ServiceClients {
  users: UserServiceClient;
  products: ProductServiceClient;
  notifications: NotificationServiceClient;
}

export function createServiceClients(config: OrderServiceConfig, logger: Logger, metrics: Metrics): ServiceClients {
  const defaults: ClientDefaults = {
    internalApiKey: config.INTERNAL_API_KEY,
    timeoutMs: config.SERVICE_TIMEOUT_MS,
    breaker: { consecutiveFailures: config.BREAKER_FAILURES, halfOpenAfterMs: config.BREAKER_HALF_OPEN_MS },
    logger,
    metrics,
  };
  return {
    users: createUserServiceClient(config.USER_SERVICE_URL, defaults, { tokenCacheTtlMs: config.TOKEN_CACHE_TTL_MS }),
    products: createProductServiceClient(config.PRODUCT_SERVICE_URL, defaults),
    notifications: createNotificationServiceClient(config.NOTIFICATION_SERVICE_URL, defaults),
  };
}

export function closeServiceClients(clients: ServiceClients): void {
  clients.users.http.close();
  clients.products.http.close();
  clients.notifications.http.close();
}
