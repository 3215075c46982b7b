import { Counter } from 'prom-client';
import { Logger, Metrics } from '@shop/observability';
import { PeriodicTask } from '@shop/runtime';
import type { AbandonStaleOrders } from './abandon-stale-orders.use-case';

export interface StaleOrderSweeperOptions {
  /** Pause between two passes. */
  intervalMs: number;
  /** Age after which a `pending` order is taken for abandoned (config.ts explains the floor). */
  staleAfterMs: number;
}

/**
 * Every `intervalMs`, gives up the placements still `pending` after `staleAfterMs`
 * (abandon-stale-orders.use-case.ts): their stock release goes into the outbox with the status
 * change, and the relay does the rest. No remote call, so a slow Product service never holds a
 * connection or a lock here. Instances may sweep at once (SKIP LOCKED). main.ts starts and
 * stops it; tests call runOnce().
 */
export class StaleOrderSweeper {
  private readonly task: PeriodicTask<string[]>;
  private readonly abandoned: Counter;

  constructor(abandonStaleOrders: AbandonStaleOrders, options: StaleOrderSweeperOptions, logger: Logger, metrics: Metrics) {
    this.abandoned = new Counter({
      name: 'orders_stale_abandoned_total',
      help: 'Placements found still pending after STALE_ORDER_AFTER_MS and given up (their stock release queued)',
      registers: [metrics.registry],
    });
    this.task = new PeriodicTask(
      async () => {
        const ids = await abandonStaleOrders.execute(options.staleAfterMs);
        if (ids.length > 0) {
          this.abandoned.inc(ids.length);
          logger.warn({ orderIds: ids }, 'gave up placements that never finished: their stock release is queued');
        }
        return ids;
      },
      { name: 'stale-order sweep', intervalMs: options.intervalMs, logger },
    );
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass; the ids of the orders it gave up. */
  runOnce(): Promise<string[]> {
    return this.task.runOnce();
  }
}
