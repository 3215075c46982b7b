import { Counter } from 'prom-client';
import type { Logger, Metrics } from '@shop/observability';
import type { OrderService } from './order.service';

export interface StaleOrderSweeperOptions {
  /** Pause between two passes. */
  intervalMs: number;
  /** Age after which a `pending` order is taken for abandoned (config.ts explains the floor). */
  staleAfterMs: number;
}

export interface SweepResult {
  recovered: number;
  /** Stale orders whose stock could not be released this pass (kept for the next). */
  failed: number;
}

/**
 * Closes what a placement could not: every `intervalMs` it recovers, one at a time, each order
 * still `pending` after `staleAfterMs` (OrderService.recoverStaleOrder: its stock goes back, then
 * the order goes). Instances may sweep at once: each order is taken under its row lock, by one.
 * main.ts starts and stops it; tests call runOnce().
 */
export class StaleOrderSweeper {
  private timer?: NodeJS.Timeout;
  private current?: Promise<unknown>;
  private stopped = true;
  private stopping = false;
  private readonly recoveries: Counter<'outcome'>;

  constructor(
    private readonly orders: OrderService,
    private readonly options: StaleOrderSweeperOptions,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.recoveries = new Counter({
      name: 'orders_stale_recoveries_total',
      help: 'Orders left pending by a placement that never finished, by outcome (recovered: stock released and order removed; release_failed: kept for the next pass)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    this.schedule();
  }

  /** Stops sweeping and waits for the order being recovered, if any, to be finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    clearTimeout(this.timer);
    await this.current;
  }

  /**
   * One pass: recovers every stale order, one transaction each. An order whose release failed
   * is left out of the rest of the pass (the Product service is likely down: the next pass tries
   * again). A database failure ends the pass (thrown).
   */
  async runOnce(): Promise<SweepResult> {
    const result: SweepResult = { recovered: 0, failed: 0 };
    const failed: string[] = [];
    while (!this.stopping) {
      const outcome = await this.orders.recoverStaleOrder(this.options.staleAfterMs, failed);
      if (!outcome) break;
      const { order } = outcome;
      const context = {
        orderId: order.id,
        userId: order.userId,
        idempotencyKey: order.idempotencyKey,
        pendingSince: order.createdAt.toISOString(),
        itemCount: order.itemCount,
      };
      if (outcome.recovered) {
        result.recovered += 1;
        this.recoveries.inc({ outcome: 'recovered' });
        this.logger.warn(
          { ...context, reservation: outcome.reservation },
          'recovered a stale pending order: its stock was released and the order removed',
        );
      } else {
        result.failed += 1;
        failed.push(order.id);
        this.recoveries.inc({ outcome: 'release_failed' });
        this.logger.error(
          { ...context, err: outcome.error },
          'could not release the stock of a stale pending order; it is kept and retried next pass',
        );
      }
    }
    return result;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const pass = this.runOnce().catch((err: unknown) => {
        this.logger.error({ err }, 'stale order sweep failed');
      });
      this.current = pass;
      void pass.then(() => {
        this.current = undefined;
        this.schedule();
      });
    }, this.options.intervalMs);
    // Never what keeps the process alive.
    this.timer.unref();
  }
}
