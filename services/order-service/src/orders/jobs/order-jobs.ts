import type { Logger, Metrics } from '@shop/observability';
import type { ServiceClients } from '../../clients';
import type { OrderServiceConfig } from '../../config';
import { deliverNotifications } from '../../outbox/notification-delivery';
import type { StockReleasePayload } from '../../outbox/outbox-message';
import { byTopic, Deliver, oneByOne, OutboxRelay } from '../../outbox/outbox-relay';
import type { OutboxRepository } from '../../outbox/outbox.repository';
import { systemClock, type OrderStore } from '../order.ports';
import { AbandonStaleOrders } from './abandon-stale-orders.use-case';
import { OrderReconciler } from './order-reconciler';
import { ReconcileOrders } from './reconcile-orders.use-case';
import { ReleaseStock } from './release-stock.use-case';
import { StaleOrderSweeper } from './stale-order.sweeper';

export interface OrderJobsDeps {
  config: OrderServiceConfig;
  logger: Logger;
  metrics: Metrics;
  /** The relay claims and records rows itself, so it takes the whole outbox repository. */
  store: OrderStore & { outbox: OutboxRepository };
  clients: ServiceClients;
}

/** The outbox's `stock-release` messages, one by one, each through ReleaseStock. */
export function stockReleases(releaseStock: ReleaseStock): Deliver {
  return oneByOne((message) => releaseStock.execute((message.payload as StockReleasePayload).orderId));
}

/**
 * The Order service's background work: the outbox relay (emails and stock releases), the
 * stale-order sweeper and the reconciliation. main.ts starts and stops them (tests call their
 * runOnce()).
 */
export function createOrderJobs({ config, logger, metrics, store, clients }: OrderJobsDeps) {
  const relay = new OutboxRelay(
    store.outbox,
    byTopic({
      notification: deliverNotifications(clients.notifications),
      'stock-release': stockReleases(new ReleaseStock({ store, products: clients.products })),
    }),
    {
      pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
      batchSize: config.OUTBOX_BATCH_SIZE,
      initialBackoffMs: config.OUTBOX_INITIAL_BACKOFF_MS,
      maxBackoffMs: config.OUTBOX_MAX_BACKOFF_MS,
      leaseMs: config.OUTBOX_LEASE_MS,
    },
    logger.child({ component: 'outbox-relay' }),
  );
  const sweeper = new StaleOrderSweeper(
    new AbandonStaleOrders({ store }),
    { intervalMs: config.STALE_ORDER_SWEEP_INTERVAL_MS, staleAfterMs: config.STALE_ORDER_AFTER_MS },
    logger.child({ component: 'stale-order-sweeper' }),
    metrics,
  );
  const reconcilerLogger = logger.child({ component: 'reconciliation' });
  const reconciler = new OrderReconciler(
    new ReconcileOrders(
      { store, products: clients.products, logger: reconcilerLogger, clock: systemClock },
      { settleMs: config.RECONCILE_AFTER_MS, windowMs: config.RECONCILE_WINDOW_MS, pageSize: 200 },
    ),
    config.RECONCILE_INTERVAL_MS,
    reconcilerLogger,
    metrics,
  );
  return {
    relay,
    sweeper,
    reconciler,
    start(): void {
      relay.start();
      sweeper.start();
      reconciler.start();
    },
    /** Waits for the work in flight. */
    async stop(): Promise<void> {
      await Promise.all([relay.stop(), sweeper.stop(), reconciler.stop()]);
    },
  };
}

export type OrderJobs = ReturnType<typeof createOrderJobs>;
