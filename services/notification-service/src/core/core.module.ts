import { BeforeApplicationShutdown, DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Logger, Metrics } from '@shop/observability';
import { UserServiceClient } from '@shop/service-client';
import { NotificationServiceConfig } from '../config';
import { APP_CONFIG, LOGGER, METRICS, USER_SERVICE } from './tokens';

export interface CoreDeps {
  config: NotificationServiceConfig;
  logger: Logger;
  metrics: Metrics;
  userService: UserServiceClient;
}

/** Makes the app's configuration, logger, metrics and User service client injectable everywhere. */
@Global()
@Module({})
export class CoreModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(USER_SERVICE) private readonly userService: UserServiceClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  static forRoot(deps: CoreDeps): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: deps.config },
      { provide: LOGGER, useValue: deps.logger },
      { provide: METRICS, useValue: deps.metrics },
      { provide: USER_SERVICE, useValue: deps.userService },
    ];
    return { module: CoreModule, providers, exports: providers };
  }

  beforeApplicationShutdown(signal?: string): void {
    this.logger.info({ signal }, 'shutting down: finishing running deliveries, then closing Redis and MongoDB');
  }

  onApplicationShutdown(): void {
    this.logger.info('stopped');
    // Keep-alive sockets to the User service would otherwise hold the process open.
    this.userService.http.close();
  }
}
