import { parseInternalKeys } from '@shop/internal-auth';
import { Logger, Metrics } from '@shop/observability';
import { HttpServiceClient, ServiceClientOptions } from './http-service-client';
import { NotificationServiceClient } from './notification-service.client';
import { ProductServiceClient } from './product-service.client';
import { UserServiceClient, UserServiceClientOptions } from './user-service.client';

/** What every client of one calling service shares: its key, timeout, logger and metrics. */
export interface ClientDefaults {
  /** The caller's INTERNAL_API_KEY value; its first key is the one sent. */
  internalApiKey: string;
  timeoutMs?: number;
  logger?: Logger;
  metrics?: Metrics;
  retry?: ServiceClientOptions['retry'];
  breaker?: ServiceClientOptions['breaker'];
}

function http(defaults: ClientDefaults, service: string, displayName: string, baseURL: string): HttpServiceClient {
  return new HttpServiceClient({
    service,
    displayName,
    baseURL,
    internalKey: parseInternalKeys(defaults.internalApiKey)[0],
    timeoutMs: defaults.timeoutMs,
    retry: defaults.retry,
    breaker: defaults.breaker,
    logger: defaults.logger,
    metrics: defaults.metrics,
  });
}

export const createUserServiceClient = (baseURL: string, defaults: ClientDefaults, options?: UserServiceClientOptions) =>
  new UserServiceClient(http(defaults, 'user-service', 'User service', baseURL), options);

export const createProductServiceClient = (baseURL: string, defaults: ClientDefaults) =>
  new ProductServiceClient(http(defaults, 'product-service', 'Product service', baseURL));

export const createNotificationServiceClient = (baseURL: string, defaults: ClientDefaults) =>
  new NotificationServiceClient(http(defaults, 'notification-service', 'Notification service', baseURL));

/** The settings a service that checks bearer tokens reads (commonEnv, serviceUrlsEnv and tokenCacheEnv of @shop/config). */
export interface TokenCheckSettings {
  USER_SERVICE_URL: string;
  INTERNAL_API_KEY: string;
  SERVICE_TIMEOUT_MS: number;
  TOKEN_CACHE_TTL_MS: number;
}

/** The User service client of a service that only checks tokens with it (the Nest services), built the one way. */
export const userServiceClientFor = (config: TokenCheckSettings, observability: Pick<ClientDefaults, 'logger' | 'metrics'>) =>
  createUserServiceClient(
    config.USER_SERVICE_URL,
    { internalApiKey: config.INTERNAL_API_KEY, timeoutMs: config.SERVICE_TIMEOUT_MS, ...observability },
    { tokenCacheTtlMs: config.TOKEN_CACHE_TTL_MS },
  );
