import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { NotificationServiceConfig } from '../config';
import { CAPPED_BACKOFF, cappedBackoff, DeliveryQueue, NOTIFICATION_QUEUE } from './delivery.queue';
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
        BullModule.registerQueue({ name: config.NOTIFICATION_QUEUE, settings: { backoffStrategies: { [CAPPED_BACKOFF]: cappedBackoff } } }),
      ],
      providers: [{ provide: NOTIFICATION_QUEUE, useExisting: getQueueToken(config.NOTIFICATION_QUEUE) }, DeliveryQueue, QueueMetrics],
      exports: [NOTIFICATION_QUEUE, DeliveryQueue],
    };
  }
}
