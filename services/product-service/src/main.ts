import { createLogger, Metrics } from '@shop/observability';
import { createApp, SERVICE_NAME } from './app';
import { loadProductServiceConfig } from './config';

async function main(): Promise<void> {
  const config = loadProductServiceConfig();
  const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  try {
    const app = await createApp({ config, logger, metrics: new Metrics(SERVICE_NAME) });
    // SIGTERM/SIGINT (enableShutdownHooks): the sweeper stops, the server closes once in-flight requests are done, then the database and clients.
    await app.listen(config.PORT);
    logger.info({ port: config.PORT }, 'listening');
  } catch (err) {
    logger.fatal({ err }, 'could not start');
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  // Only a configuration error gets here, before there is a logger: one JSON line, like the logs.
  const detail = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${JSON.stringify({ level: 'fatal', service: SERVICE_NAME, msg: 'could not start', err: detail })}\n`);
  process.exit(1);
});
