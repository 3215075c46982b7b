import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CoreModule } from '@shop/nest-kit';
import { Logger, Metrics } from '@shop/observability';
import { UserServiceClient } from '@shop/service-client';
import { NotificationServiceConfig } from './config';
import { mongooseOptions } from './database/mongoose-options';
import { MongoWatchdogProvider } from './database/mongo-watchdog.provider';
import { DeliveryModule, TransportOverrides } from './delivery/delivery.module';
import { NotificationsApiModule, NotificationsModule } from './notifications/notifications.module';
import { QueueModule } from './queue/queue.module';
import { RequeueModule } from './requeue/requeue.module';

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
        MongooseModule.forRoot(config.MONGODB_URI, mongooseOptions()),
        QueueModule.forRoot(config),
        NotificationsModule,
        DeliveryModule.register(config, deps.transports),
        RequeueModule,
        ...(config.API_ENABLED ? [NotificationsApiModule] : []),
      ],
      providers: [MongoWatchdogProvider],
    };
  }
}
