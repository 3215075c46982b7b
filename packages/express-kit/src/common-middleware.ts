import express, { Express } from 'express';
import helmet from 'helmet';
import { Logger, Metrics } from '@shop/observability';
import { errorHandler, ErrorHandlingOptions, notFoundHandler } from './error-handler.middleware';
import {
  concretePathsFirst,
  httpLogger,
  methodNotAllowed,
  metricsHandler,
  metricsMiddleware,
  rejectUnstorableInput,
  requestContext,
} from '@shop/http-kit';

export interface CommonMiddlewareOptions {
  logger: Logger;
  metrics: Metrics;
  bodyLimit?: string;
  /**
   * Which proxies' X-Forwarded-For is believed for `req.ip` (Express's `trust proxy`: `loopback`,
   * a comma list of addresses or subnets, a hop count, true/false). Default: loopback only.
   */
  trustProxy?: boolean | number | string;
}

/**
 * What every Express service puts in front of its routes: security headers, request id,
 * request log, metrics and a size-limited JSON body parser. Call before mounting routes.
 */
export function applyCommonMiddleware(app: Express, options: CommonMiddlewareOptions): void {
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? 'loopback');
  app.set('query parser', 'simple');
  app.use(requestContext());
  app.use(httpLogger(options.logger));
  app.use(metricsMiddleware(options.metrics));
  // Swagger UI serves inline scripts: its own path gets a relaxed policy in the services.
  app.use(helmet());
  app.use(express.json({ limit: options.bodyLimit ?? '100kb' }));
  app.use(rejectUnstorableInput());
  app.use(concretePathsFirst());
  app.get('/metrics', metricsHandler(options.metrics));
}

/** The last handlers: a known path with another method (405), unknown routes (404), then the one error envelope. Call after the routes. */
export function applyErrorHandling(app: Express, logger: Logger, options: ErrorHandlingOptions = {}): void {
  app.use(methodNotAllowed());
  app.use(notFoundHandler());
  app.use(errorHandler(logger, options));
}
