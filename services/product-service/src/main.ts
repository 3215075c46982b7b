// First: tracing (when the OTEL_* variables turn it on) must see every library load.
import '@shop/telemetry/register';
import { createLogger, Metrics } from '@shop/observability';
import { exitOnStartupFailure, installProcessHandlers } from '@shop/runtime';
import { createApp } from './app';
import { loadProductServiceConfig, SERVICE_NAME } from './config';

async function main(): Promise<void> {
  const config = loadProductServiceConfig();
  const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  installProcessHandlers(logger);
  const app = await createApp({ config, logger, metrics: new Metrics(SERVICE_NAME) });
  // SIGTERM/SIGINT (enableShutdownHooks): the sweeper stops, the server closes once in-flight requests are done, then the database and clients.
  await app.listen(config.PORT);
  logger.info({ port: config.PORT }, 'listening');
}

main().catch(exitOnStartupFailure(SERVICE_NAME));
