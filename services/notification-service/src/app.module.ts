import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MONGO_CONNECTION_OPTIONS } from '@shop/config';
import { CoreModule } from '@shop/nest-kit';
import { Logger, Metrics } from '@shop/observability';
import { UserServiceClient } from '@shop/service-client';
import { NotificationServiceConfig } from './config';
import { DeliveryModule, TransportOverrides } from './delivery/delivery.module';
import { NotificationsApiModule, NotificationsModule } from './notifications/notifications.module';
import { QueueModule } from './queue/queue.module';
import { RequeueModule } from './requeue/requeue.module';
import { MongoWatchdogProvider } from './core/mongo-watchdog.provider';

/** What main.ts (or a test) hands to the app: nothing in the app reads the environment itself. */
export interface AppDeps {
  config: NotificationServiceConfig;
  logger: Logger;
  metrics: Metrics;
  /** Replaces a channel's default transport (a real SMS or push provider, a test double). */
  transports?: TransportOverrides;
}

@Module({})
export class AppModule {
  /** The whole service, built from what main.ts (or a test) passes in. */
  static forRoot(deps: AppDeps, userService: UserServiceClient): DynamicModule {
    const { config } = deps;
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ config, logger: deps.logger, metrics: deps.metrics, userService }),
        // A connection of the app's own (closed with the app), never mongoose's global one.
        MongooseModule.forRoot(config.MONGODB_URI, { ...MONGO_CONNECTION_OPTIONS, retryAttempts: 3, retryDelay: 1000 }),
        QueueModule.forRoot(config),
        NotificationsModule,
        DeliveryModule.register(deps.transports),
        RequeueModule,
        ...(config.API_ENABLED ? [NotificationsApiModule] : []),
      ],
      providers: [MongoWatchdogProvider],
    };
  }
}
