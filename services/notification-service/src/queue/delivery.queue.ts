import { Inject, Injectable } from '@nestjs/common';
import { JobOptions, Queue } from 'bull';
import { Logger } from '@shop/observability';
import { captureTraceContext, TraceCarrier } from '@shop/telemetry';
import { NotificationServiceConfig } from '../config';
import { APP_CONFIG, APP_LOGGER } from '@shop/nest-kit';

/** The Bull queue that holds delivery jobs (its name comes from NOTIFICATION_QUEUE). */
export const NOTIFICATION_QUEUE = Symbol('NOTIFICATION_QUEUE');
export const DELIVER_JOB = 'deliver';

export interface DeliverJobData {
  notificationId: string;
  /** The trace of the request that queued it, continued by the delivery (absent with tracing off). */
  traceContext?: TraceCarrier;
}

export type DeliveryJobQueue = Queue<DeliverJobData>;

const FINISHED_STATES: ReadonlySet<string> = new Set(['completed', 'failed']);
const LOST_CONNECTION_STATES: ReadonlySet<string> = new Set(['reconnecting', 'close', 'end']);

/**
 * The only way notifications enter the Bull queue. MongoDB is the record of what must be
 * delivered; a job is just the trigger. The job id is the notification id, so Bull never holds
 * two live jobs for one notification however often it is enqueued.
 */
@Injectable()
export class DeliveryQueue {
  private readonly jobOptions: JobOptions;

  constructor(
    @Inject(NOTIFICATION_QUEUE) readonly queue: DeliveryJobQueue,
    @Inject(APP_CONFIG) config: NotificationServiceConfig,
    @Inject(APP_LOGGER) logger: Logger,
  ) {
    this.jobOptions = {
      attempts: config.NOTIFY_MAX_ATTEMPTS,
      backoff: { type: 'exponential', delay: config.NOTIFY_BACKOFF_MS },
      // Finished jobs stay a while for the dashboard, bounded so Redis does not fill up.
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    };
    // Without a listener, a Redis connection error emitted by the queue would crash the process.
    queue.on('error', (err) => logger.warn({ err }, 'notification queue error'));
  }

  async enqueue(notificationId: string): Promise<void> {
    this.assertReachable();
    const traceContext = captureTraceContext() ?? undefined;
    await this.queue.add(DELIVER_JOB, { notificationId, traceContext }, { ...this.jobOptions, jobId: notificationId });
  }

  /** One job per notification, added in one round trip. */
  async enqueueMany(notificationIds: readonly string[]): Promise<void> {
    if (notificationIds.length === 0) return;
    this.assertReachable();
    const traceContext = captureTraceContext() ?? undefined;
    await this.queue.addBulk(
      notificationIds.map((notificationId) => ({
        name: DELIVER_JOB,
        data: { notificationId, traceContext },
        opts: { ...this.jobOptions, jobId: notificationId },
      })),
    );
  }

  /**
   * Gives a notification a live job unless it has one. A finished job (completed or failed)
   * would block a new one with the same id, so it is removed first. Returns whether it added one.
   */
  async ensureEnqueued(notificationId: string): Promise<boolean> {
    const job = await this.queue.getJob(notificationId);
    if (job) {
      if (!FINISHED_STATES.has(await job.getState())) return false;
      await job.remove();
    }
    await this.enqueue(notificationId);
    return true;
  }

  jobCounts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts() as unknown as Promise<Record<string, number>>;
  }

  async ping(): Promise<void> {
    this.assertReachable();
    await this.queue.client.ping();
  }

  /** Fails at once while the connection is known to be lost, instead of queueing the command until a timeout. */
  private assertReachable(): void {
    const status = this.queue.client.status;
    if (LOST_CONNECTION_STATES.has(status)) throw new Error(`Redis is unreachable (connection ${status})`);
  }
}
