import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Logger, Metrics } from '@shop/observability';
import { APP_LOGGER, APP_METRICS } from '@shop/nest-kit';
import { withTimeout } from '../common/with-timeout';
import { DeliveryQueue } from './delivery.queue';

const COUNTS_TIMEOUT_MS = 1000;

/** `notification_queue_jobs{state}`: jobs per state, read from Redis whenever /metrics is scraped. */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly deliveryQueue: DeliveryQueue,
    @Inject(APP_METRICS) private readonly metrics: Metrics,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const deliveryQueue = this.deliveryQueue;
    const logger = this.logger;
    new Gauge({
      name: 'notification_queue_jobs',
      help: 'Delivery jobs in the notification queue, by state',
      labelNames: ['state'],
      registers: [this.metrics.registry],
      async collect() {
        try {
          const counts = await withTimeout(deliveryQueue.jobCounts(), COUNTS_TIMEOUT_MS, 'Redis');
          for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
        } catch (err) {
          // A scrape must not fail because Redis is down: the gauge keeps its last values.
          logger.warn({ err }, 'could not read the queue depth for /metrics');
        }
      },
    });
  }
}
