import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bull';
import { ExponentialBackoff, handleAll, retry, RetryPolicy } from 'cockatiel';
import { Logger } from '@shop/observability';
import { NotificationType } from '@shop/service-client';
import { withTraceContext } from '@shop/telemetry';
import { NotificationServiceConfig } from '../config';
import { APP_CONFIG, APP_LOGGER } from '@shop/nest-kit';
import { NotificationRecord } from '../notifications/notification.model';
import { NotificationRepository } from '../notifications/notification.repository';
import { DELIVER_JOB, DeliverJobData, DeliveryJobQueue, NOTIFICATION_QUEUE } from '../queue/delivery.queue';
import { DeliveryClaimRepository, HeldClaim } from './delivery-claim.repository';
import { DeliveryMetrics } from './delivery.metrics';
import { NotificationTransport, OutgoingNotification, TRANSPORT_TOKENS } from './notification-transport';
import { PermanentDeliveryError } from './permanent-delivery.error';
import { RecipientLookup } from './recipient.lookup';

/**
 * The part of the claim's lease (NOTIFY_CLAIM_LEASE_MS) that must be left for an attempt to send
 * or to write its outcome: the writes right after a passed fence check finish well within it.
 */
const FENCE_MARGIN_FRACTION = 0.1;

const MAX_ERROR_LENGTH = 500;

/**
 * Once an email is out, its `sent` must be written, or the notification stays queued and a later
 * attempt sends it again. So that write is retried while the store is away (a restart, a
 * failover), from 200 ms doubling to 2 s, for as long as the claim's lease leaves time: after
 * that the next holder decides (and the mail may go out twice).
 */
const OUTCOME_RETRY = { initialDelayMs: 200, maxDelayMs: 2000 };

/** `fenced`: the attempt outlived its claim's lease; whoever holds the notification now decides. */
export type DeliveryResult = { outcome: 'sent' } | { outcome: 'skipped' } | { outcome: 'fenced' };

/**
 * The Bull worker: one job = one delivery attempt of one notification. Bull retries a thrown
 * attempt with exponential backoff; the stored notification keeps the truth (status, attempts,
 * lastError). A job can run twice (a re-queued duplicate, a stalled job taken over), so each
 * attempt first claims the notification (DeliveryClaim) and does nothing if it cannot; only the
 * claim holder writes the notification's delivery state, and it writes it before letting go.
 * Before sending and before writing, an attempt checks that its claim still holds (the fence);
 * one that outlived its lease writes nothing, so it can neither overwrite the next holder's
 * outcome nor delete its claim.
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly transports: Readonly<Record<NotificationType, NotificationTransport>>;
  private readonly logger: Logger;
  private readonly outcomeRetry: RetryPolicy;
  private running = false;

  constructor(
    @Inject(NOTIFICATION_QUEUE) private readonly queue: DeliveryJobQueue,
    private readonly notifications: NotificationRepository,
    private readonly claims: DeliveryClaimRepository,
    private readonly recipients: RecipientLookup,
    private readonly metrics: DeliveryMetrics,
    @Inject(TRANSPORT_TOKENS.email) email: NotificationTransport,
    @Inject(TRANSPORT_TOKENS.sms) sms: NotificationTransport,
    @Inject(TRANSPORT_TOKENS.push) push: NotificationTransport,
    @Inject(APP_CONFIG) private readonly config: NotificationServiceConfig,
    @Inject(APP_LOGGER) logger: Logger,
  ) {
    this.transports = { email, sms, push };
    this.logger = logger.child({ component: 'delivery' });
    this.outcomeRetry = retry(handleAll, {
      maxAttempts: Number.MAX_SAFE_INTEGER, // bounded by the lease, below
      backoff: new ExponentialBackoff({ initialDelay: OUTCOME_RETRY.initialDelayMs, maxDelay: OUTCOME_RETRY.maxDelayMs }),
    });
    this.outcomeRetry.onRetry(({ delay, ...reason }) =>
      this.logger.warn(
        { err: 'error' in reason ? reason.error : undefined, retryInMs: delay },
        'writing a sent notification failed, retrying',
      ),
    );
  }

  /** Starts taking jobs once the whole app is up (never at import time), unless WORKER_ENABLED=false. */
  onApplicationBootstrap(): void {
    if (!this.config.WORKER_ENABLED) return;
    this.running = true;
    this.queue
      .process(DELIVER_JOB, this.config.NOTIFY_CONCURRENCY, (job: Job<DeliverJobData>) =>
        // Each attempt is a span of the trace of the request that queued the job.
        withTraceContext(job.data.traceContext, 'notification deliver', () => this.deliver(job), {
          kind: 'consumer',
          attributes: { 'notification.id': job.data.notificationId, 'bull.job.attempt': job.attemptsMade + 1 },
        }),
      )
      .catch((err: unknown) => this.logger.error({ err }, 'the delivery worker stopped'));
    this.logger.info({ concurrency: this.config.NOTIFY_CONCURRENCY }, 'delivery worker started');
  }

  /** Stops taking jobs and lets running attempts finish while MongoDB is still connected. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.running) await this.queue.close();
  }

  async deliver(job: Job<DeliverJobData>): Promise<DeliveryResult> {
    const { notificationId } = job.data;
    const claim = await this.claims.acquire(notificationId, new Date(), this.config.NOTIFY_CLAIM_LEASE_MS);
    if (!claim) {
      this.logger.info({ notificationId, jobId: job.id }, 'another attempt holds this notification: nothing to do');
      return { outcome: 'skipped' };
    }
    // Read after claiming: whoever held it before wrote its outcome before releasing.
    const notification = await this.notifications.findById(notificationId);
    if (notification?.status !== 'queued') {
      await this.claims.clear(claim);
      this.logger.info({ notificationId, jobId: job.id, status: notification?.status }, 'nothing to deliver: already done');
      return { outcome: 'skipped' };
    }
    const channel = notification.notificationType;
    try {
      const recipient = await this.recipients.find(notification.userId, channel);
      if (!(await this.stillHolds(claim))) return this.fenced(job, claim, channel, 'before sending');
      await this.transports[channel].send(recipient, toOutgoing(notification));
    } catch (err) {
      return this.recordFailure(job, notification, claim, err);
    }
    const recorded = await this.outcomeRetry.execute(async () => {
      if (!this.leaseLeft(claim) || !(await this.stillHolds(claim))) return false;
      await this.notifications.markSent(notificationId, new Date());
      return true;
    });
    if (!recorded) return this.fenced(job, claim, channel, 'after sending');
    // Best effort: a claim left behind only delays nothing (the notification is sent) and expires.
    await this.claims.clear(claim).catch((err: unknown) => this.logger.warn({ err, notificationId }, 'could not clear a finished claim'));
    this.metrics.record(channel, 'sent');
    this.logger.info({ notificationId, channel, attempts: notification.attempts + 1 }, 'notification sent');
    return { outcome: 'sent' };
  }

  /** Whether the claim's lease still leaves the fence margin, by this process's clock alone. */
  private leaseLeft(claim: HeldClaim): boolean {
    return claim.expiresAt.getTime() - Date.now() >= this.config.NOTIFY_CLAIM_LEASE_MS * FENCE_MARGIN_FRACTION;
  }

  private stillHolds(claim: HeldClaim): Promise<boolean> {
    return this.claims.holds(claim, new Date(), this.config.NOTIFY_CLAIM_LEASE_MS * FENCE_MARGIN_FRACTION);
  }

  private fenced(job: Job<DeliverJobData>, claim: HeldClaim, channel: NotificationType, when: string): DeliveryResult {
    this.metrics.record(channel, 'fenced');
    this.logger.warn(
      { notificationId: claim.notificationId, jobId: job.id, generation: claim.generation, when },
      'delivery attempt outlived its claim: it writes nothing, the current holder decides',
    );
    return { outcome: 'fenced' };
  }

  /** Records the failed attempt, then throws so that Bull retries it, unless it was the last one. */
  private async recordFailure(
    job: Job<DeliverJobData>,
    notification: NotificationRecord,
    claim: HeldClaim,
    err: unknown,
  ): Promise<DeliveryResult> {
    if (!(await this.stillHolds(claim))) return this.fenced(job, claim, notification.notificationType, 'after a failed attempt');
    const id = notification._id.toHexString();
    const channel = notification.notificationType;
    const attempts = notification.attempts + 1;
    const reason = describe(err);
    const permanent = err instanceof PermanentDeliveryError;
    // Our count decides, Bull's too: a job re-created by the sweeper starts Bull's count afresh.
    const lastAttempt = permanent || attempts >= this.config.NOTIFY_MAX_ATTEMPTS || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const log = { notificationId: id, channel, attempts, reason };
    if (lastAttempt) {
      await this.notifications.markFailed(id, reason);
      await this.claims.clear(claim);
      await job.discard();
      this.metrics.record(channel, 'failed');
      this.logger.warn(log, permanent ? 'notification failed: cannot be delivered' : 'notification failed: no attempts left');
    } else {
      await this.notifications.recordFailedAttempt(id, reason);
      await this.claims.release(claim, new Date());
      this.metrics.record(channel, 'retried');
      this.logger.info(log, 'delivery attempt failed, will retry');
    }
    throw err;
  }
}

function toOutgoing(notification: NotificationRecord): OutgoingNotification {
  return {
    id: notification._id.toHexString(),
    title: notification.title,
    description: notification.description,
    metadata: notification.metadata ?? undefined,
  };
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
}
