import type { Express } from 'express';
import { createSilentLogger, Metrics } from '@shop/observability';
import { getFreePort } from '@shop/test-kit';
import { createApp } from './app';
import { closeServiceClients, createServiceClients, ServiceClients } from './clients';
import { createTestDatabase, TestDatabase } from './database.test-helpers';

export interface TestApp {
  app: Express;
  db: TestDatabase;
  clients: ServiceClients;
  close(): Promise<void>;
}

/**
 * The real app on a fresh database of its own. The services it calls are where `env` says, and
 * by default nowhere (a port nobody listens on): the app on its own, its dependencies down.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const nobody = `http://127.0.0.1:${await getFreePort()}`;
  const db = await createTestDatabase({ USER_SERVICE_URL: nobody, PRODUCT_SERVICE_URL: nobody, NOTIFICATION_SERVICE_URL: nobody, ...env });
  const logger = createSilentLogger();
  const metrics = new Metrics('order-service', { defaultMetrics: false });
  const clients = createServiceClients(db.config, logger, metrics);
  const app = createApp({ config: db.config, logger, metrics, dataSource: db.dataSource, clients });
  return {
    app,
    db,
    clients,
    async close() {
      closeServiceClients(clients);
      await db.close();
    },
  };
}
