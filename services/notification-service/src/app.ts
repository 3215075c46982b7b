import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Connection } from 'mongoose';
import { AuthenticatedUser } from '@shop/internal-auth';
import { parseInternalKeys } from '@shop/internal-auth';
import { configureNestApp } from '@shop/nest-kit';
import { createLogger, httpHealthCheck, Logger, Metrics } from '@shop/observability';
import { createUserServiceClient } from '@shop/service-client';
import { AppModule } from './app.module';
import { NotificationServiceConfig, SERVICE_NAME } from './config';
import { TransportOverrides } from './delivery/delivery.module';
import { setupOpenApi } from './openapi';
import { DeliveryQueue } from './queue/delivery.queue';
import { mountQueueDashboard } from './queue-dashboard/queue-dashboard';

export interface CreateAppOptions {
  config: NotificationServiceConfig;
  logger?: Logger;
  metrics?: Metrics;
  transports?: TransportOverrides;
}

const USER_SERVICE_HEALTH_TIMEOUT_MS = 1500;

/**
 * Builds the Notification service (initialised, not listening): the HTTP API, the delivery worker
 * and the re-queue sweeper as the config enables them. `app.close()` stops everything it started.
 */
export async function createApp(options: CreateAppOptions): Promise<NestExpressApplication> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const metrics = options.metrics ?? new Metrics(SERVICE_NAME);
  const userService = createUserServiceClient(
    config.USER_SERVICE_URL,
    { internalApiKey: config.INTERNAL_API_KEY, timeoutMs: config.SERVICE_TIMEOUT_MS, logger, metrics },
    { tokenCacheTtlMs: config.TOKEN_CACHE_TTL_MS },
  );
  const verifyToken = async (token: string): Promise<AuthenticatedUser> => {
    const { user } = await userService.validateToken(token);
    return { id: user.id, email: user.email, role: user.role, firstName: user.firstName, lastName: user.lastName, phone: user.phone };
  };
  const internalKeys = parseInternalKeys(config.INTERNAL_API_KEY);

  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, logger, metrics, userService, transports: options.transports }),
    { bodyParser: false, bufferLogs: true, abortOnError: false },
  );
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
    dependencyChecks: { 'user-service': httpHealthCheck(config.USER_SERVICE_URL, USER_SERVICE_HEALTH_TIMEOUT_MS) },
  });
  if (config.API_ENABLED) {
    mountQueueDashboard(app, [deliveryQueue.queue], { internalKeys, verifyToken });
    setupOpenApi(app);
  }
  await app.init();
  return app;
}
