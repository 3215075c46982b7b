import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { parseInternalKeys } from '@shop/internal-auth';
import { migrateExclusively } from '@shop/migrations';
import { configureNestApp, NestPinoLogger, TokenVerifier } from '@shop/nest-kit';
import { httpHealthCheck } from '@shop/observability';
import { userServiceClientFor } from '@shop/service-client';
import { AppDeps, AppModule } from './app.module';
import { SERVICE_NAME } from './config';
import { setupOpenApi } from './openapi';

/**
 * Builds the Product service: connects to PostgreSQL and applies pending migrations, but does
 * not listen (main.ts does; tests call `listen(0)`).
 */
export async function createApp(deps: AppDeps): Promise<INestApplication> {
  const { config, logger, metrics } = deps;
  const userService = userServiceClientFor(config, { logger, metrics });
  // Our own logger from the first line (so a failed start is logged too); errors reject instead of exiting.
  const app = await NestFactory.create(AppModule.forRoot(deps, userService), {
    bodyParser: false,
    logger: new NestPinoLogger(deps.logger),
    abortOnError: false,
  });
  const dataSource = app.get(DataSource);
  try {
    await migrateExclusively(dataSource, SERVICE_NAME);
  } catch (err) {
    await app.close();
    throw err;
  }
  const tokens = app.get(TokenVerifier);
  configureNestApp(app, {
    service: SERVICE_NAME,
    logger: deps.logger,
    metrics: deps.metrics,
    internalKeys: parseInternalKeys(deps.config.INTERNAL_API_KEY),
    verifyToken: (token) => tokens.verify(token),
    storage: { name: 'product database', engine: 'PostgreSQL' },
    readinessChecks: { postgres: () => dataSource.query('select 1') },
    // Reported, not gating: the User service checks the tokens of admins' writes.
    dependencyChecks: { 'user-service': httpHealthCheck(config.USER_SERVICE_URL) },
    bodyLimit: deps.config.BODY_LIMIT,
  });
  setupOpenApi(app);
  return app;
}
