import { once } from 'node:events';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Express } from 'express';
import { Logger } from '@shop/observability';

export interface StartOptions {
  port: number;
  host?: string;
  logger: Logger;
  /** Closed in order after the server stops taking requests (database, queues, clients). */
  onShutdown?: Array<() => Promise<unknown> | unknown>;
  /** How long in-flight requests may take to finish before the process exits anyway. */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  server: Server;
  port: number;
  shutdown(reason?: string): Promise<void>;
}

/**
 * Listens, and on SIGTERM/SIGINT stops taking requests, lets in-flight ones finish, runs the
 * cleanup steps and exits. Used by main.ts only: createApp() never listens.
 */
export async function startHttpServer(app: Express, options: StartOptions): Promise<RunningServer> {
  const server = app.listen(options.port, options.host ?? '0.0.0.0');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;

  const shutdown = (reason = 'shutdown'): Promise<void> => {
    stopping ??= (async () => {
      options.logger.info({ reason }, 'shutting down');
      const timer = setTimeout(() => {
        options.logger.error('graceful shutdown timed out, exiting');
        process.exit(1);
      }, options.shutdownTimeoutMs ?? 10_000);
      timer.unref();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      for (const step of options.onShutdown ?? []) {
        try {
          await step();
        } catch (err) {
          options.logger.error({ err }, 'shutdown step failed');
        }
      }
      options.logger.info('stopped');
    })();
    return stopping;
  };

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void shutdown(signal).then(() => process.exit(0));
    });
  }
  options.logger.info({ port }, 'listening');
  return { server, port, shutdown };
}
