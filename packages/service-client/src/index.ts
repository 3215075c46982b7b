export { HttpServiceClient, neverReachedTarget } from './http-service-client';
export type { CallOptions, HttpMethod, ServiceClientOptions } from './http-service-client';
export { UserServiceClient } from './user-service.client';
export type { UserServiceClientOptions } from './user-service.client';
export { ProductServiceClient } from './product-service.client';
export { NotificationServiceClient } from './notification-service.client';
export * from './create-clients';
export * from './contracts';
export * from './order-lines';
