import { AppError } from '@shop/errors';
import type { Logger } from '@shop/observability';
import type { ClaimedMessage, OutboxRepository } from './outbox.repository';

export interface OutboxRelayOptions {
  pollIntervalMs: number;
  batchSize: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Longer than one delivery can take (the client's timeout and retries). */
  leaseMs: number;
}

/** Hands one message to its destination; throws (an AppError, ideally) when it was not taken. */
export type Deliver = (message: ClaimedMessage) => Promise<void>;

/**
 * Exponential backoff with jitter: initial × 2^(attempt−1), capped, then a random 80–100% of
 * it so that messages that failed together do not all come back together.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.8 + 0.2 * random()));
}

/**
 * A refusal no retry can change (the Notification service read the message and said no).
 * Timeouts, rate limits, 5xx, open breakers and refused connections are all worth retrying.
 */
function isPermanent(err: unknown): boolean {
  return err instanceof AppError && err.isClientError && err.status !== 408 && err.status !== 429;
}

/**
 * Delivers the outbox: polls for due messages, sends each, and records the outcome. A message
 * is retried with backoff until it is taken, however long the Notification service is away,
 * so none is lost; it is sent with its dedupe key, so a crash after the Notification service
 * accepted it (before we marked it sent) cannot make a second email either. The order flow
 * never waits for this.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private current?: Promise<unknown>;
  private stopped = true;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly deliver: Deliver,
    private readonly options: OutboxRelayOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the batch in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  /** One pass: claims what is due and delivers it. Returns how many messages were attempted. */
  async runOnce(): Promise<number> {
    const messages = await this.outbox.claimDue(this.options.batchSize, this.options.leaseMs);
    const outcomes = await Promise.allSettled(messages.map((message) => this.process(message)));
    for (const outcome of outcomes) {
      // Recording the outcome failed (the database is away): the lease brings the row back later.
      if (outcome.status === 'rejected') this.logger.error({ err: outcome.reason }, 'outbox relay could not record a delivery outcome');
    }
    return messages.length;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const pass = this.runOnce().catch((err: unknown) => {
        this.logger.error({ err }, 'outbox relay pass failed');
        return 0;
      });
      this.current = pass;
      void pass.then((attempted) => {
        this.current = undefined;
        // A full batch means more may be waiting: go again at once.
        this.schedule(attempted >= this.options.batchSize ? 0 : this.options.pollIntervalMs);
      });
    }, delayMs);
  }

  private async process(message: ClaimedMessage): Promise<void> {
    try {
      await this.deliver(message);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (isPermanent(err)) {
        this.logger.error({ dedupeKey: message.dedupeKey, attempts: message.attempts, reason }, 'outbox message refused for good');
        await this.outbox.markFailed(message.id, reason);
        return;
      }
      const delay = backoffDelay(message.attempts, this.options.initialBackoffMs, this.options.maxBackoffMs);
      this.logger.warn(
        { dedupeKey: message.dedupeKey, attempts: message.attempts, retryInMs: delay, reason },
        'outbox delivery failed, will retry',
      );
      await this.outbox.reschedule(message.id, delay, reason);
      return;
    }
    await this.outbox.markSent(message.id);
  }
}
