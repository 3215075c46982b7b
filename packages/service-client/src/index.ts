export { DEFAULT_RETRY, HttpServiceClient, longestCallMs as longestServiceCallMs } from './http-service-client';
export type { CallOptions, HttpMethod, ServiceClientOptions } from './http-service-client';
export { UserServiceClient } from './user-service.client';
export type { UserServiceClientOptions } from './user-service.client';
export { ProductServiceClient } from './product-service.client';
export { NotificationServiceClient } from './notification-service.client';
export * from './create-clients';
// The shapes of the calls are @shop/contracts'; a caller of these clients gets them here too.
export * from '@shop/contracts';
