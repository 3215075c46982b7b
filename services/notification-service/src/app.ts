import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Connection } from 'mongoose';
import { parseInternalKeys } from '@shop/internal-auth';
import { configureNestApp, NestPinoLogger, TokenVerifier } from '@shop/nest-kit';
import { httpHealthCheck } from '@shop/observability';
import { userServiceClientFor } from '@shop/service-client';
import { AppDeps, AppModule } from './app.module';
import { SERVICE_NAME } from './config';
import { setupOpenApi } from './openapi';
import { DeliveryQueue } from './queue/delivery.queue';
import { mountQueueDashboard } from './queue-dashboard/queue-dashboard';

/**
 * Builds the Notification service (initialised, not listening): the HTTP API, the delivery worker
 * and the re-queue sweeper as the config enables them. `app.close()` stops everything it started.
 */
export async function createApp(deps: AppDeps): Promise<NestExpressApplication> {
  const { config, logger, metrics } = deps;
  const userService = userServiceClientFor(config, { logger, metrics });
  const internalKeys = parseInternalKeys(config.INTERNAL_API_KEY);

  // Our own logger from the first line (so a failed start is logged too); errors reject instead of exiting.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps, userService), {
    bodyParser: false,
    logger: new NestPinoLogger(logger),
    abortOnError: false,
  });
  const tokens = app.get(TokenVerifier);
  const verifyToken = (token: string) => tokens.verify(token);
  const mongo = app.get<Connection>(getConnectionToken());
  const deliveryQueue = app.get(DeliveryQueue);
  configureNestApp(app, {
    service: SERVICE_NAME,
    logger,
    metrics,
    internalKeys,
    verifyToken,
    bodyLimit: config.BODY_LIMIT,
    storage: { name: 'notification database', engine: 'MongoDB' },
    readinessChecks: {
      mongodb: () => mongo.db!.admin().ping(),
      redis: () => deliveryQueue.ping(),
    },
    dependencyChecks: { 'user-service': httpHealthCheck(config.USER_SERVICE_URL) },
  });
  if (config.API_ENABLED) {
    mountQueueDashboard(app, [deliveryQueue.queue], { internalKeys, verifyToken });
    setupOpenApi(app);
  }
  await app.init();
  return app;
}
