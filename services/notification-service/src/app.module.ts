import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CoreDeps, CoreModule } from './core/core.module';
import { DeliveryModule, TransportOverrides } from './delivery/delivery.module';
import { NotificationsApiModule, NotificationsModule } from './notifications/notifications.module';
import { QueueModule } from './queue/queue.module';
import { RequeueModule } from './requeue/requeue.module';

export interface AppDeps extends CoreDeps {
  /** Replaces a channel's default transport (a real SMS or push provider, a test double). */
  transports?: TransportOverrides;
}

@Module({})
export class AppModule {
  static forRoot(deps: AppDeps): DynamicModule {
    const { config } = deps;
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(deps),
        // A connection of the app's own (closed with the app), never mongoose's global one.
        MongooseModule.forRoot(config.MONGODB_URI, { serverSelectionTimeoutMS: 5000, retryAttempts: 3, retryDelay: 1000 }),
        QueueModule.forRoot(config),
        NotificationsModule,
        DeliveryModule.register(deps.transports),
        RequeueModule,
        ...(config.API_ENABLED ? [NotificationsApiModule] : []),
      ],
    };
  }
}
