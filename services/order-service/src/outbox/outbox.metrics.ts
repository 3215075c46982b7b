import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import type { Logger, Metrics } from '@shop/observability';
import { OutboxBacklog, OutboxRepository } from './outbox.repository';

/** One scrape reads both gauges: the query runs once for it, not once per gauge. */
const REUSE_MS = 1000;

/**
 * `outbox_backlog_messages` and `outbox_oldest_age_seconds`: the messages due now and how long
 * the oldest has waited, read with one query when /metrics is scraped. A growing backlog or age
 * means a destination (the Notification or Product service) is not taking them.
 */
export function registerOutboxMetrics(metrics: Metrics, dataSource: DataSource, logger: Logger): void {
  const outbox = new OutboxRepository(dataSource.manager);
  let last: { at: number; backlog: Promise<OutboxBacklog | undefined> } | undefined;
  const read = (): Promise<OutboxBacklog | undefined> => {
    if (last && Date.now() - last.at < REUSE_MS) return last.backlog;
    const backlog = outbox.backlog().catch((err: unknown) => {
      // A scrape must not fail because the database is away: the gauges keep their last values.
      logger.warn({ err }, 'could not read the outbox backlog for /metrics');
      return undefined;
    });
    last = { at: Date.now(), backlog };
    return backlog;
  };
  const gauge = (name: string, help: string, pick: (b: OutboxBacklog) => number) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      async collect() {
        const backlog = await read();
        if (backlog) this.set(pick(backlog));
      },
    });
  gauge('outbox_backlog_messages', 'Outbox messages due for delivery now', (b) => b.due);
  gauge('outbox_oldest_age_seconds', 'How long the oldest due outbox message has waited (0 when none)', (b) => b.oldestAgeSeconds);
}
