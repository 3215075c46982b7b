import { BullModule } from '@nestjs/bull';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { NotificationServiceConfig } from '../config';
import { CAPPED_BACKOFF, cappedBackoff, DELIVERY_QUEUE, DeliveryQueue } from './delivery.queue';
import { QueueMetrics } from './queue.metrics';

/** The Bull queue of delivery jobs on Redis (closed by @nestjs/bull on shutdown). */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: NotificationServiceConfig): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({
          redis: {
            host: config.REDIS_HOST,
            port: config.REDIS_PORT,
            // On close, wait at most 500 ms (as Bull does for QUIT) before dropping a socket, not
            // ioredis's 2 s, which also applies to sockets Redis already dropped while it was down.
            disconnectTimeout: 500,
          },
          prefix: config.BULL_PREFIX,
        }),
        // Known to Nest as DELIVERY_QUEUE whatever its name in Redis (a factory's `name` wins).
        BullModule.registerQueueAsync({
          name: DELIVERY_QUEUE,
          useFactory: () => ({ name: config.NOTIFICATION_QUEUE, settings: { backoffStrategies: { [CAPPED_BACKOFF]: cappedBackoff } } }),
        }),
      ],
      providers: [DeliveryQueue, QueueMetrics],
      exports: [BullModule, DeliveryQueue],
    };
  }
}
