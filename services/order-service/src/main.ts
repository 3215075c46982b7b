// First: tracing (when the OTEL_* variables turn it on) must see every library load.
import '@shop/telemetry/register';
import 'reflect-metadata';
import { startHttpServer } from '@shop/express-kit';
import { createLogger, Metrics } from '@shop/observability';
import { exitOnStartupFailure, installProcessHandlers } from '@shop/runtime';
import { createApp, createBackgroundJobs } from './app';
import { closeServiceClients, createServiceClients } from './clients';
import { loadOrderServiceConfig } from './config';
import { connectAndMigrate, createDataSource } from './database';
import { registerOutboxMetrics } from './outbox/outbox.metrics';

async function main(): Promise<void> {
  const config = loadOrderServiceConfig();
  const logger = createLogger({ service: 'order-service', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  installProcessHandlers(logger);
  const dataSource = createDataSource(config);
  try {
    // The schema is brought up to date before the first request is taken.
    await connectAndMigrate(dataSource);
    const metrics = new Metrics('order-service');
    registerOutboxMetrics(metrics, dataSource, logger);
    const clients = createServiceClients(config, logger, metrics);
    const app = createApp({ config, logger, metrics, dataSource, clients });
    const jobs = createBackgroundJobs({ config, logger, metrics, dataSource, clients });
    await startHttpServer(app, {
      port: config.PORT,
      logger,
      // In order: no new deliveries or repairs, no open sockets to the other services, then the database.
      onShutdown: [() => jobs.stop(), () => closeServiceClients(clients), () => dataSource.destroy()],
    });
    jobs.start();
  } catch (err) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    throw err;
  }
}

main().catch(exitOnStartupFailure('order-service'));
