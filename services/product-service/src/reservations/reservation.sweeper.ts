import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from '@shop/observability';
import { APP_CONFIG, APP_LOGGER } from '../app.deps';
import { ProductServiceConfig } from '../config';
import { ReservationService } from './reservation.service';

/**
 * Every RESERVATION_SWEEP_INTERVAL_MS, returns the stock of reservations nobody confirmed in
 * time. Starts with the application (never at import) and stops, letting a running sweep
 * finish, before the database connection closes.
 */
@Injectable()
export class ReservationSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private readonly logger: Logger;

  constructor(
    private readonly reservations: ReservationService,
    @Inject(APP_CONFIG) private readonly config: ProductServiceConfig,
    @Inject(APP_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'reservation-sweeper' });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      // A slow sweep is not overlapped by the next one.
      this.running ??= this.sweep().finally(() => {
        this.running = undefined;
      });
    }, this.config.RESERVATION_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One sweep; failures are logged and the next interval tries again. */
  async sweep(): Promise<number> {
    try {
      const expired = await this.reservations.expireDue();
      if (expired > 0) this.logger.info({ expired }, 'expired reservations returned their stock');
      return expired;
    } catch (err) {
      this.logger.error({ err }, 'reservation sweep failed');
      return 0;
    }
  }
}
