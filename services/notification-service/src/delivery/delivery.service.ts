import { Inject, Injectable } from '@nestjs/common';
import { Job } from 'bull';
import { ExponentialBackoff, handleAll, retry, RetryPolicy } from 'cockatiel';
import { Logger } from '@shop/observability';
import { NotificationType } from '@shop/contracts';
import { APP_CONFIG, APP_LOGGER } from '@shop/nest-kit';
import { NotificationServiceConfig } from '../config';
import { NotificationRepository } from '../notifications/notification.repository';
import { DeliverJobData, DeliveryContent } from '../queue/delivery.queue';
import { HeldClaim } from './delivery-claim.repository';
import { DeliveryClaims } from './delivery-claims';
import { DeliveryMetrics } from './delivery.metrics';
import { NotificationTransport, OutgoingNotification, TRANSPORT_TOKENS } from './notification-transport';
import { PermanentDeliveryError } from './permanent-delivery.error';
import { RecipientLookup } from './recipient.lookup';
import { SentWriter } from './sent-writer';

/**
 * The part of the claim's lease (NOTIFY_CLAIM_LEASE_MS) that must be left for an attempt to send
 * or to write its outcome: the writes right after a passed fence check finish well within it.
 */
const FENCE_MARGIN_FRACTION = 0.1;

const MAX_ERROR_LENGTH = 500;

/** The write of `sent` is retried while the store is away, from 200 ms doubling to 2 s (see recordSent). */
const OUTCOME_RETRY = { initialDelayMs: 200, maxDelayMs: 2000 };

/** `fenced`: the attempt outlived its claim and another attempt has claimed since; that one decides. */
export type DeliveryResult = { outcome: 'sent' } | { outcome: 'skipped' } | { outcome: 'fenced' };

/**
 * The delivery story: one job = one delivery attempt of one notification, handed over by
 * DeliveryProcessor. Bull retries a thrown attempt with capped exponential backoff for the retry
 * window; the stored notification keeps the truth (status, attempts, lastError). A job can run
 * twice (a re-queued duplicate, a stalled job taken over), so each attempt first claims the
 * notification (DeliveryClaims) and does nothing if it cannot; only the claim holder writes the
 * notification's delivery state. An attempt whose lease ran out writes only while no other
 * attempt has claimed since (the fence), so it never overwrites the next holder's outcome.
 */
@Injectable()
export class DeliveryService {
  private readonly transports: Readonly<Record<NotificationType, NotificationTransport>>;
  private readonly logger: Logger;
  private readonly outcomeRetry: RetryPolicy;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly claims: DeliveryClaims,
    private readonly sent: SentWriter,
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
      maxAttempts: Number.MAX_SAFE_INTEGER, // bounded in recordSent
      backoff: new ExponentialBackoff({ initialDelay: OUTCOME_RETRY.initialDelayMs, maxDelay: OUTCOME_RETRY.maxDelayMs }),
    });
    this.outcomeRetry.onRetry(({ delay, ...reason }) =>
      this.logger.warn(
        { err: 'error' in reason ? reason.error : undefined, retryInMs: delay },
        'writing a sent notification failed, retrying',
      ),
    );
  }

  /**
   * One attempt: claim → find the recipient → send → record `sent`. The claim is one insert, the
   * content comes with the job, the recipient too when the caller knew it, and `sent` is written
   * in a bulk write shared with the attempts that finished at the same time.
   */
  async deliver(job: Job<DeliverJobData>): Promise<DeliveryResult> {
    const { notificationId } = job.data;
    const taken = await this.claims.acquire(notificationId, job.attemptsMade + 1, job.data.content);
    if (!taken.claimed) {
      this.logger.info({ notificationId, jobId: job.id, reason: taken.reason }, 'nothing to deliver');
      return { outcome: 'skipped' };
    }
    const { claim, content } = taken;
    const channel = content.notificationType;
    try {
      const recipient = await this.recipients.find(content.userId, channel, content.recipient);
      if (!this.leaseLeft(claim)) return this.fenced(job, claim, channel, 'before sending');
      await this.transports[channel].send(recipient, toOutgoing(notificationId, content));
    } catch (err) {
      return this.recordFailure(job, content, claim, err);
    }
    if (!(await this.recordSent(claim))) return this.fenced(job, claim, channel, 'after sending');
    this.metrics.record(channel, 'sent');
    this.logger.info({ notificationId, channel, attempt: job.attemptsMade + 1 }, 'notification sent');
    return { outcome: 'sent' };
  }

  /**
   * Once the message is out, `sent` must be stored, or a later attempt sends it again. Within the
   * lease the claim is this attempt's alone; past it, the outcome still stands while no other
   * attempt has claimed the notification since (a send that waited long, a store that was away).
   * Retried while the store is away, for at most one more lease.
   */
  private async recordSent(claim: HeldClaim): Promise<boolean> {
    const giveUpAt = claim.expiresAt.getTime() + this.config.NOTIFY_CLAIM_LEASE_MS;
    return this.outcomeRetry.execute(async () => {
      if (Date.now() > giveUpAt) return false;
      if (!this.leaseLeft(claim) && !(await this.claims.isLatest(claim))) return false;
      await this.sent.markSent(claim.notificationId, new Date());
      return true;
    });
  }

  /** Whether the claim's lease still leaves the fence margin, by this process's clock alone. */
  private leaseLeft(claim: HeldClaim): boolean {
    return claim.expiresAt.getTime() - Date.now() >= this.config.NOTIFY_CLAIM_LEASE_MS * FENCE_MARGIN_FRACTION;
  }

  private fenced(job: Job<DeliverJobData>, claim: HeldClaim, channel: NotificationType, when: string): DeliveryResult {
    this.metrics.record(channel, 'fenced');
    this.logger.warn(
      { notificationId: claim.notificationId, jobId: job.id, generation: claim.generation, when },
      'delivery attempt outlived its claim: it writes nothing, the current holder decides',
    );
    return { outcome: 'fenced' };
  }

  /**
   * Records the failed attempt, then throws so that Bull retries it after its backoff, unless no
   * retry is left: a permanent failure, the retry window over, or the attempt cap reached.
   */
  private async recordFailure(job: Job<DeliverJobData>, content: DeliveryContent, claim: HeldClaim, err: unknown): Promise<DeliveryResult> {
    const channel = content.notificationType;
    if (!this.leaseLeft(claim) && !(await this.claims.isLatest(claim))) return this.fenced(job, claim, channel, 'after a failed attempt');
    const id = claim.notificationId;
    const reason = describe(err);
    const endedBy = lastAttemptBecause(err, job, content, this.config.NOTIFY_RETRY_WINDOW_MS);
    const log = { notificationId: id, channel, attempt: job.attemptsMade + 1, reason };
    if (endedBy) {
      await this.notifications.markFailed(id, reason);
      await job.discard();
      this.metrics.record(channel, 'failed');
      this.logger.warn({ ...log, endedBy }, 'notification failed: no more attempts (an operator can retry it)');
    } else {
      await this.notifications.recordFailedAttempt(id, reason);
      this.metrics.record(channel, 'retried');
      this.logger.info(log, 'delivery attempt failed, will retry');
    }
    // The next attempt (a retry, an operator's) may claim at once.
    await this.claims.release(claim);
    throw err;
  }
}

/** Why this failed attempt is the last one, or undefined when it will be retried. */
function lastAttemptBecause(err: unknown, job: Job<DeliverJobData>, content: DeliveryContent, windowMs: number): string | undefined {
  if (err instanceof PermanentDeliveryError) return 'cannot be delivered';
  if (Date.now() - content.since >= windowMs) return 'retry window over';
  if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) return 'attempt cap reached';
  return undefined;
}

function toOutgoing(id: string, content: DeliveryContent): OutgoingNotification {
  return { id, title: content.title, description: content.description, metadata: content.metadata };
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH - 1)}…` : message;
}
