// First: tracing (when the OTEL_* variables turn it on) must see every library load.
import '@shop/telemetry/register';
import 'reflect-metadata';
import { createLogger, Metrics } from '@shop/observability';
import { exitOnStartupFailure, installProcessHandlers } from '@shop/runtime';
import { createApp } from './app';
import { loadNotificationServiceConfig, SERVICE_NAME } from './config';

async function main(): Promise<void> {
  const config = loadNotificationServiceConfig();
  const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  installProcessHandlers(logger);
  // SIGTERM/SIGINT close the app (configureNestApp enables Nest's shutdown hooks): the HTTP
  // server stops, the worker finishes its running jobs, then Redis and MongoDB are closed.
  const app = await createApp({ config, logger, metrics: new Metrics(SERVICE_NAME) });
  await app.listen(config.PORT);
  logger.info({ port: config.PORT, api: config.API_ENABLED, worker: config.WORKER_ENABLED }, 'notification service listening');
}

main().catch(exitOnStartupFailure(SERVICE_NAME));
