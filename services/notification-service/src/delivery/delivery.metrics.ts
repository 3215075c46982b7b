import { Inject, Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '@shop/observability';
import { NotificationType } from '@shop/contracts';
import { APP_METRICS } from '@shop/nest-kit';

export type DeliveryOutcome = 'sent' | 'failed' | 'retried' | 'fenced';

/** `notification_deliveries_total{channel,outcome}`: each attempt's result. */
@Injectable()
export class DeliveryMetrics {
  private readonly deliveries: Counter<'channel' | 'outcome'>;

  constructor(@Inject(APP_METRICS) metrics: Metrics) {
    this.deliveries = new Counter({
      name: 'notification_deliveries_total',
      help: 'Delivery attempts by channel and outcome (sent; retried: failed, another attempt follows; failed: given up; fenced: outlived its claim, wrote nothing)',
      labelNames: ['channel', 'outcome'],
      registers: [metrics.registry],
    });
  }

  record(channel: NotificationType, outcome: DeliveryOutcome): void {
    this.deliveries.inc({ channel, outcome });
  }
}
