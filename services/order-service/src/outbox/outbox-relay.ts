import { AppError } from '@shop/errors';
import type { Logger } from '@shop/observability';
import { withTraceContexts } from '@shop/telemetry';
import type { ClaimedMessage, OutboxTopic } from './outbox-message';
import type { OutboxRepository } from './outbox.repository';

export interface OutboxRelayOptions {
  pollIntervalMs: number;
  batchSize: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Longer than one delivery can take (the client's timeout and retries). */
  leaseMs: number;
}

/** One message's result: delivered (`undefined`) or the error (an AppError, ideally) that kept it from being taken. */
export type DeliveryOutcome = undefined | { error: unknown };

/** Hands a batch of messages to their destination; one outcome per message, in order. */
export type Deliver = (messages: readonly ClaimedMessage[]) => Promise<DeliveryOutcome[]>;

/** A Deliver for a destination that takes one message per call (all sent at once). */
export function oneByOne(deliver: (message: ClaimedMessage) => Promise<void>): Deliver {
  return async (messages) => {
    const settled = await Promise.allSettled(messages.map((m) => deliver(m)));
    return settled.map((s) => (s.status === 'fulfilled' ? undefined : { error: s.reason as unknown }));
  };
}

/** A Deliver that hands each topic's messages to its own Deliver (one batch per topic). */
export function byTopic(handlers: Record<OutboxTopic, Deliver>): Deliver {
  return async (messages) => {
    const outcomes = new Array<DeliveryOutcome>(messages.length);
    const groups = new Map<OutboxTopic, number[]>();
    messages.forEach((m, i) => groups.set(m.topic, [...(groups.get(m.topic) ?? []), i]));
    await Promise.all(
      [...groups].map(async ([topic, indexes]) => {
        const results = await handlers[topic](indexes.map((i) => messages[i])).catch((error: unknown) => indexes.map(() => ({ error })));
        indexes.forEach((messageIndex, k) => {
          outcomes[messageIndex] = results[k];
        });
      }),
    );
    return outcomes;
  };
}

/**
 * Exponential backoff with jitter: initial × 2^(attempt−1), capped, then a random 80–100% of
 * it so that messages that failed together do not all come back together.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.8 + 0.2 * random()));
}

/**
 * A refusal no retry can change (the destination read the message and said no).
 * Timeouts, rate limits, 5xx, open breakers and refused connections are all worth retrying.
 */
function isPermanent(err: unknown): boolean {
  return err instanceof AppError && err.isClientError && err.status !== 408 && err.status !== 429;
}

/**
 * Delivers the outbox: polls for due messages, hands them over a batch at a time, and records
 * the outcomes. A message is retried with backoff until it is taken, however long its
 * destination is away, so none is lost. Every delivery is safe to repeat (notifications carry
 * their dedupe key, stock releases are idempotent), so a crash after the destination took a
 * message but before it was marked sent costs a harmless repeat. Outcomes are recorded only
 * while this relay's claim still holds (outbox.repository.ts). The order flow never waits for this.
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

  /** One pass: claims what is due, delivers it, records the outcomes. Returns how many messages were attempted. */
  async runOnce(): Promise<number> {
    const messages = await this.outbox.claimDue(this.options.batchSize, this.options.leaseMs);
    if (messages.length === 0) return 0;
    // In the trace of the change that wrote the message (a batch of several: linked to each).
    return withTraceContexts(
      messages.map((m) => m.traceContext),
      'outbox deliver',
      () => this.deliverAndRecord(messages),
      { attributes: { 'outbox.batch_size': messages.length } },
    );
  }

  private async deliverAndRecord(messages: ClaimedMessage[]): Promise<number> {
    const outcomes = await this.deliver(messages).catch((error: unknown) => messages.map(() => ({ error })));
    const delivered = messages.filter((_, i) => outcomes[i] === undefined);
    const failures = messages.flatMap((message, i) => {
      const outcome = outcomes[i];
      return outcome === undefined ? [] : [this.recordFailure(message, outcome.error)];
    });
    const recorded = await Promise.allSettled([this.outbox.markSent(delivered), ...failures]);
    for (const outcome of recorded) {
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
    // Never what keeps the process alive.
    this.timer.unref();
  }

  private async recordFailure(message: ClaimedMessage, err: unknown): Promise<void> {
    const reason = err instanceof Error ? err.message : String(err);
    const context = { topic: message.topic, dedupeKey: message.dedupeKey, attempts: message.attempts, reason };
    if (isPermanent(err)) {
      this.logger.error(context, 'outbox message refused for good');
      await this.outbox.markFailed(message, reason);
      return;
    }
    const delay = backoffDelay(message.attempts, this.options.initialBackoffMs, this.options.maxBackoffMs);
    this.logger.warn({ ...context, retryInMs: delay }, 'outbox delivery failed, will retry');
    await this.outbox.reschedule(message, delay, reason);
  }
}
