import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger, Metrics } from '@shop/observability';
import { PeriodicTask } from '@shop/runtime';
import { APP_CONFIG, APP_LOGGER, APP_METRICS } from '@shop/nest-kit';
import { ProductServiceConfig } from '../config';
import { reservationSweepMetrics } from './reservation.metrics';
import { ReservationsService } from './reservations.service';

/**
 * Every RESERVATION_SWEEP_INTERVAL_MS, returns the stock of reservations nobody confirmed in
 * time. Starts with the application (never at import) and stops, letting a running sweep
 * finish, before the database connection closes.
 */
@Injectable()
export class ReservationSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask<number>;
  private readonly logger: Logger;
  private readonly metrics: ReturnType<typeof reservationSweepMetrics>;

  constructor(
    private readonly reservations: ReservationsService,
    @Inject(APP_CONFIG) private readonly config: ProductServiceConfig,
    @Inject(APP_LOGGER) logger: Logger,
    @Inject(APP_METRICS) metrics: Metrics,
  ) {
    this.logger = logger.child({ component: 'reservation-sweeper' });
    this.metrics = reservationSweepMetrics(metrics);
    this.task = new PeriodicTask(() => this.sweep(), {
      name: 'reservation sweep',
      intervalMs: config.RESERVATION_SWEEP_INTERVAL_MS,
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One sweep; failures are logged and the next interval tries again. */
  async sweep(): Promise<number> {
    try {
      const expired = await this.reservations.expireDue();
      if (expired > 0) this.logger.info({ expired }, 'expired reservations returned their stock');
      this.metrics.sweeps.inc({ outcome: 'ok' });
      this.metrics.expired.inc(expired);
      return expired;
    } catch (err) {
      this.metrics.sweeps.inc({ outcome: 'error' });
      this.logger.error({ err }, 'reservation sweep failed');
      return 0;
    }
  }
}
