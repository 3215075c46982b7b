import { Counter } from 'prom-client';
import { Logger, Metrics } from '@shop/observability';
import { PeriodicTask } from '@shop/runtime';
import type { ReconcileOrders, ReconciliationReport } from './reconcile-orders.use-case';

/**
 * Runs the reconciliation of reservations and orders every `intervalMs` and counts what it
 * finds (`orders_reconciliation_findings_total{kind}`). main.ts starts and stops it.
 */
export class OrderReconciler {
  private readonly task: PeriodicTask<ReconciliationReport>;
  private readonly findings: Counter<'kind'>;

  constructor(reconciliation: ReconcileOrders, intervalMs: number, logger: Logger, metrics: Metrics) {
    this.findings = new Counter({
      name: 'orders_reconciliation_findings_total',
      help: 'Disagreements between reservations and orders found by the reconciliation, by kind (orphan_reservation and missing_reservation are repaired; unheld_order needs an operator)',
      labelNames: ['kind'],
      registers: [metrics.registry],
    });
    this.task = new PeriodicTask(
      async () => {
        const report = await reconciliation.execute();
        this.findings.inc({ kind: 'orphan_reservation' }, report.orphanReservations.length);
        this.findings.inc({ kind: 'missing_reservation' }, report.missingReservations.length);
        this.findings.inc({ kind: 'unheld_order' }, report.unheldOrders.length);
        const found = report.orphanReservations.length + report.missingReservations.length + report.unheldOrders.length;
        if (found > 0) logger.warn({ ...report }, 'reconciliation found reservations and orders that disagreed');
        return report;
      },
      { name: 'reconciliation', intervalMs, logger },
    );
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  runOnce(): Promise<ReconciliationReport> {
    return this.task.runOnce();
  }
}
