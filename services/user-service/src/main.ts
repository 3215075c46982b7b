// First: tracing (when the OTEL_* variables turn it on) must see every library load.
import '@shop/telemetry/register';
import { startHttpServer } from '@shop/express-kit';
import { createLogger, Logger, Metrics } from '@shop/observability';
import { exitOnStartupFailure, installProcessHandlers, MongoWatchdog } from '@shop/runtime';
import { createApp, createUseCases, UseCases } from './app';
import { loadUserServiceConfig, UserServiceConfig } from './config';
import { connectMongo, ensureIndexes, mongoConnectOptions } from './database';
import { connectRedis } from './redis';

/** The first admin from ADMIN_EMAIL/ADMIN_PASSWORD, if set; an existing account is left as it is. */
async function seedAdmin(config: UserServiceConfig, useCases: UseCases, logger: Logger): Promise<void> {
  if (config.ADMIN_EMAIL === undefined || config.ADMIN_PASSWORD === undefined) return;
  const { created, user } = await useCases.users.seedAdmin.execute(config.ADMIN_EMAIL, config.ADMIN_PASSWORD);
  if (created) {
    logger.info({ userId: user.id }, 'created the first admin from ADMIN_EMAIL');
  } else if (user.role !== 'admin') {
    logger.warn({ userId: user.id }, 'ADMIN_EMAIL belongs to an existing non-admin user, who was left unchanged');
  }
}

async function main(): Promise<void> {
  const config = loadUserServiceConfig();
  const logger = createLogger({ service: 'user-service', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  installProcessHandlers(logger);
  const connection = await connectMongo(config.MONGODB_URI);
  const redis = connectRedis({ host: config.REDIS_HOST, port: config.REDIS_PORT }, logger);
  const watchdog = new MongoWatchdog(connection, { uri: config.MONGODB_URI, connectOptions: mongoConnectOptions(), logger });
  try {
    // The unique email index must exist before the first registration is accepted.
    await ensureIndexes(connection);
    await seedAdmin(config, createUseCases(config, connection), logger);
    const app = createApp({ config, logger, metrics: new Metrics('user-service'), connection, redis });
    await startHttpServer(app, {
      port: config.PORT,
      logger,
      onShutdown: [() => watchdog.stop(), () => connection.close(), () => redis.quit().then(() => undefined)],
    });
    watchdog.start();
  } catch (err) {
    await connection.close().catch(() => undefined);
    redis.disconnect();
    throw err;
  }
}

main().catch(exitOnStartupFailure('user-service'));
