import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import { JobOptions, Queue } from 'bull';
import { Logger } from '@shop/observability';
import { NotificationRecipient, NotificationType } from '@shop/contracts';
import { captureTraceContext, TraceCarrier } from '@shop/telemetry';
import { NotificationServiceConfig } from '../config';
import { APP_CONFIG, APP_LOGGER } from '@shop/nest-kit';

/**
 * Nest's name for the Bull queue that holds delivery jobs (@InjectQueue, @Processor); in Redis the
 * queue is named by the NOTIFICATION_QUEUE setting (queue.module.ts).
 */
export const DELIVERY_QUEUE = 'delivery';
export const DELIVER_JOB = 'deliver';

/** What an attempt sends, carried in the job so that it need not read the notification back. */
export interface DeliveryContent {
  userId: string;
  notificationType: NotificationType;
  title: string;
  description: string;
  metadata?: Record<string, unknown>;
  recipient?: NotificationRecipient;
  /**
   * When the notification was stored, or handed back by an operator (ms since the epoch): its
   * retry window runs from here, and so does the time its claims are kept (DeliveryClaims).
   */
  since: number;
}

export interface DeliverJobData {
  notificationId: string;
  /** Absent on a job made from an id alone (the re-queue sweep's): the attempt reads the notification. */
  content?: DeliveryContent;
  /** The trace of the request that queued it, continued by the delivery (absent with tracing off). */
  traceContext?: TraceCarrier;
}

export type DeliveryJobQueue = Queue<DeliverJobData>;

/** A stored notification, as much of it as a job carries. */
export type Deliverable = DeliveryContent & { id: string };

/** The name of the retry delay below, registered with the queue (queue.module.ts). */
export const CAPPED_BACKOFF = 'capped-exponential';

export interface CappedBackoffOptions {
  initialMs: number;
  maxMs: number;
}

/**
 * initial × 2^(attempt−1), capped, then a random 80–100 % of it, so that notifications that
 * failed together (an SMTP outage) do not all come back in the same second. The cap keeps a long
 * outage from pushing the next try hours past the end of it.
 */
export function cappedBackoff(attemptsMade: number, _err: Error, options: CappedBackoffOptions, random = Math.random): number {
  const exponential = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exponential * (0.8 + 0.2 * random()));
}

/** Deletes the lease only when the caller's token holds it: one round trip, nothing in between. */
const RELEASE_IF_HELD = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

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
    @InjectQueue(DELIVERY_QUEUE) readonly queue: DeliveryJobQueue,
    @Inject(APP_CONFIG) config: NotificationServiceConfig,
    @Inject(APP_LOGGER) logger: Logger,
  ) {
    const backoff: CappedBackoffOptions = { initialMs: config.NOTIFY_BACKOFF_MS, maxMs: config.NOTIFY_BACKOFF_MAX_MS };
    this.jobOptions = {
      // The retry window (NOTIFY_RETRY_WINDOW_MS) ends the retries; a count only when one is set.
      attempts: config.NOTIFY_MAX_ATTEMPTS ?? Number.MAX_SAFE_INTEGER,
      backoff: { type: CAPPED_BACKOFF, options: backoff } as JobOptions['backoff'],
      // Finished jobs stay a while for the dashboard, bounded so Redis does not fill up.
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    };
    // Without a listener, a Redis connection error emitted by the queue would crash the process.
    queue.on('error', (err) => logger.warn({ err }, 'notification queue error'));
  }

  async enqueue(notification: Deliverable): Promise<void> {
    await this.enqueueMany([notification]);
  }

  /** One job per notification, added in one round trip. */
  async enqueueMany(notifications: readonly Deliverable[]): Promise<void> {
    if (notifications.length === 0) return;
    this.assertReachable();
    const traceContext = captureTraceContext() ?? undefined;
    await this.queue.addBulk(
      notifications.map(({ id, ...content }) => ({
        name: DELIVER_JOB,
        data: { notificationId: id, content, traceContext },
        opts: { ...this.jobOptions, jobId: id },
      })),
    );
  }

  /**
   * Gives a notification a live job unless it has one. A finished job (completed or failed)
   * would block a new one with the same id, so it is removed first. Returns whether it added one.
   * One read of the job's hash decides (`finishedOn`), whatever the length of Bull's lists: asking
   * Bull for the job's state would scan its waiting and active lists for every notification.
   */
  async ensureEnqueued(notificationId: string, content?: DeliveryContent): Promise<boolean> {
    this.assertReachable();
    const job = await this.queue.getJob(notificationId);
    if (job) {
      if (!job.finishedOn) return false;
      await job.remove();
    }
    const traceContext = captureTraceContext() ?? undefined;
    await this.queue.add(DELIVER_JOB, { notificationId, content, traceContext }, { ...this.jobOptions, jobId: notificationId });
    return true;
  }

  /**
   * Takes the lease `name` (a key beside the queue's, so on the Redis every replica shares) for
   * `ms` unless another process holds it: its token, or null when held. A process that dies
   * holding it leaves it to expire.
   */
  async takeLease(name: string, ms: number): Promise<string | null> {
    this.assertReachable();
    const token = randomUUID();
    const taken = await this.queue.client.set(this.queue.toKey(`lease:${name}`), token, 'PX', ms, 'NX');
    return taken === 'OK' ? token : null;
  }

  /** Gives the lease back, if this token still holds it (an expired one may be another's by now). */
  async releaseLease(name: string, token: string): Promise<void> {
    await this.queue.client.eval(RELEASE_IF_HELD, 1, this.queue.toKey(`lease:${name}`), token);
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
