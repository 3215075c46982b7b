import { Logger, Metrics } from '@shop/observability';
import { ProductServiceConfig } from './config';

/** What main.ts (or a test) hands to the app: nothing in the app reads the environment itself. */
export interface AppDeps {
  config: ProductServiceConfig;
  logger: Logger;
  metrics: Metrics;
}

/** Injection tokens of the dependencies above. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const APP_LOGGER = Symbol('APP_LOGGER');
export const APP_METRICS = Symbol('APP_METRICS');
