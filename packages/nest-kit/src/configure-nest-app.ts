import { INestApplication } from '@nestjs/common';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { Reflector } from '@nestjs/core';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { AppError, StorageName, toAppError } from '@shop/errors';
import {
  healthRoutes,
  httpLogger,
  concretePathsFirst,
  methodNotAllowed,
  metricsHandler,
  metricsMiddleware,
  rejectUnstorableInput,
  requestContext,
  sendError,
} from '@shop/http-kit';
import { AuthenticatedUser } from '@shop/internal-auth';
import { getRequestId, Logger, Metrics, ReadinessCheck } from '@shop/observability';
import { AccessGuard } from './access.guard';
import { AppExceptionFilter } from './exception.filter';
import { NestPinoLogger } from './nest-logger';
import { createValidationPipe } from './validation.pipe';

export interface NestAppOptions {
  service: string;
  logger: Logger;
  metrics: Metrics;
  internalKeys: readonly string[];
  verifyToken: (token: string) => Promise<AuthenticatedUser>;
  /** The service's own database: its outages answer 503 DATABASE_UNAVAILABLE naming it. */
  storage: StorageName;
  /** The service's own storage: gates /health/ready. */
  readinessChecks: Record<string, ReadinessCheck>;
  /** Services it calls: reported in /health/ready, never making it 503. */
  dependencyChecks?: Record<string, ReadinessCheck>;
  bodyLimit?: string;
}

/**
 * Gives a Nest app (created with `bodyParser: false`) the same edges as the Express services:
 * request id, request log, metrics, security headers, size-limited JSON, /health and
 * /health/ready, validation, access rules and the one error envelope.
 */
export function configureNestApp(app: INestApplication, options: NestAppOptions): void {
  const nest = app as NestExpressApplication;
  nest.useLogger(new NestPinoLogger(options.logger));
  nest.set('query parser', 'simple');
  nest.disable('x-powered-by');
  nest.use(requestContext());
  nest.use(httpLogger(options.logger));
  nest.use(metricsMiddleware(options.metrics));
  // No global CSP: the queue dashboard (Bull Board) under the Notification service serves inline
  // scripts. The Swagger UI page gets http-kit's docs policy (serveSwaggerUi); API answers are JSON.
  nest.use(helmet({ contentSecurityPolicy: false }));
  nest.use(express.json({ limit: options.bodyLimit ?? '100kb' }));
  // Body-parser errors happen before Nest's router, so Nest's filter never sees them.
  nest.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    sendError(res, toAppError(err), getRequestId() ?? req.id?.toString());
  });
  nest.use(rejectUnstorableInput());
  nest.use(concretePathsFirst());
  nest.use(healthRoutes({ service: options.service, checks: options.readinessChecks, dependencies: options.dependencyChecks }));
  // A GET route, not a mount: another method on /metrics is then a 405 like on any other path.
  nest.use(express.Router().get('/metrics', metricsHandler(options.metrics)));
  answerOtherMethodsWith405(nest);
  nest.useGlobalPipes(createValidationPipe());
  nest.useGlobalFilters(new AppExceptionFilter(options.logger, options.storage));
  nest.useGlobalGuards(new AccessGuard(nest.get(Reflector), { internalKeys: options.internalKeys, verifyToken: options.verifyToken }));
  nest.enableShutdownHooks();
}

/**
 * Nest adds its 404 handler last, when the app is initialised (after every route). Just before it
 * goes http-kit's 405 check, so a path some route has but not with the request's method answers
 * 405 with `Allow`, as in the Express services; it runs only for requests no route took.
 */
function answerOtherMethodsWith405(app: NestExpressApplication): void {
  const adapter = app.getHttpAdapter() as ExpressAdapter;
  const setNotFoundHandler = adapter.setNotFoundHandler.bind(adapter);
  const check = methodNotAllowed();
  adapter.setNotFoundHandler = (handler, prefix) => {
    adapter.use((req: Request, res: Response, next: NextFunction) =>
      check(req, res, (err?: unknown) => (err instanceof AppError ? sendError(res, err, getRequestId() ?? req.id?.toString()) : next(err))),
    );
    return setNotFoundHandler(handler, prefix);
  };
}
