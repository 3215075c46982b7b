import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { BeforeApplicationShutdown, Inject, OnApplicationBootstrap, Type } from '@nestjs/common';
import { Job } from 'bull';
import { APP_LOGGER } from '@shop/nest-kit';
import { Logger } from '@shop/observability';
import { withTraceContext } from '@shop/telemetry';
import { DELIVER_JOB, DELIVERY_QUEUE, DeliverJobData, DeliveryJobQueue } from '../queue/delivery.queue';
import { DeliveryResult, DeliveryService } from './delivery.service';

/**
 * The Bull consumer of delivery jobs, made for one app: its concurrency (NOTIFY_CONCURRENCY) is a
 * setting, and a decorator's arguments are fixed where the class is declared. Nest's Bull module
 * starts it while the app initialises, so only a worker process registers it (DeliveryModule):
 * an API process, or a test that turned the worker off, never takes a job.
 */
export function deliveryProcessor(concurrency: number): Type<unknown> {
  @Processor(DELIVERY_QUEUE)
  class DeliveryProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
    constructor(
      private readonly delivery: DeliveryService,
      @InjectQueue(DELIVERY_QUEUE) private readonly queue: DeliveryJobQueue,
      @Inject(APP_LOGGER) private readonly logger: Logger,
    ) {}

    /** One attempt, as a span of the trace of the request that queued the job. */
    @Process({ name: DELIVER_JOB, concurrency })
    deliver(job: Job<DeliverJobData>): Promise<DeliveryResult> {
      return withTraceContext(job.data.traceContext, 'notification deliver', () => this.delivery.deliver(job), {
        kind: 'consumer',
        attributes: { 'notification.id': job.data.notificationId, 'bull.job.attempt': job.attemptsMade + 1 },
      });
    }

    onApplicationBootstrap(): void {
      this.logger.info({ component: 'delivery', concurrency }, 'delivery worker started');
    }

    /** Stops taking jobs and lets running attempts finish while MongoDB is still connected. */
    async beforeApplicationShutdown(): Promise<void> {
      await this.queue.close();
    }
  }
  return DeliveryProcessor;
}
