import { EntityManager } from 'typeorm';
import { captureTraceContext, TraceCarrier } from '@shop/telemetry';
import type { ClaimedMessage, NewOutboxMessage, OutboxMessage } from './outbox-message';
import { OutboxEntity } from './outbox.entity';

/** A claim to record an outcome for: the row and the attempt count it was claimed at. */
export type ClaimFence = Pick<ClaimedMessage, 'id' | 'attempts'>;

/** Due rows and the age of the oldest, for the backlog metric. */
export interface OutboxBacklog {
  due: number;
  oldestAgeSeconds: number;
}

export class OutboxRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Records a message, with the trace context it is written in; a second one for the same event
   * (same dedupe key) is ignored.
   */
  async enqueue(message: NewOutboxMessage): Promise<void> {
    await this.manager.query(
      `INSERT INTO outbox (topic, dedupe_key, payload, next_attempt_at, trace_context)
       VALUES ($1, $2, $3::jsonb, now() + make_interval(secs => $4::double precision / 1000), $5::jsonb)
       ON CONFLICT (dedupe_key) DO NOTHING`,
      [message.topic, message.dedupeKey, JSON.stringify(message.payload), message.delayMs ?? 0, JSON.stringify(captureTraceContext())],
    );
  }

  /**
   * Takes up to `limit` due messages for one delivery attempt each. `FOR UPDATE SKIP LOCKED`
   * lets relays on several instances claim at once without ever taking the same row, and the
   * lease (next_attempt_at pushed forward) keeps a row away from others while it is in flight
   * and brings it back if this relay dies before saying how the delivery went.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedMessage[]> {
    const [rows] = (await this.manager.query(
      `UPDATE outbox o
          SET attempts = o.attempts + 1,
              next_attempt_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM (SELECT id FROM outbox
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT $1
                FOR UPDATE SKIP LOCKED) due
        WHERE o.id = due.id
      RETURNING o.id, o.topic, o.dedupe_key, o.payload, o.attempts, o.trace_context`,
      [limit, leaseMs],
    )) as [
      Array<{
        id: string;
        topic: OutboxMessage['topic'];
        dedupe_key: string;
        payload: OutboxMessage['payload'];
        attempts: number;
        trace_context: TraceCarrier | null;
      }>,
      number,
    ];
    return rows.map(
      (r) =>
        ({
          id: r.id,
          topic: r.topic,
          dedupeKey: r.dedupe_key,
          payload: r.payload,
          attempts: r.attempts,
          traceContext: r.trace_context,
        }) as ClaimedMessage,
    );
  }

  /**
   * Marks delivered every claim that still holds: a relay whose lease ran out (another relay
   * claimed the row again, so `attempts` moved on) records nothing. Returns how many it marked.
   */
  async markSent(claims: readonly ClaimFence[]): Promise<number> {
    if (claims.length === 0) return 0;
    const [, affected] = (await this.manager.query(
      `UPDATE outbox o SET status = 'sent', sent_at = now(), last_error = NULL
         FROM unnest($1::uuid[], $2::integer[]) AS c(id, attempts)
        WHERE o.id = c.id AND o.attempts = c.attempts AND o.status = 'pending'`,
      [claims.map((c) => c.id), claims.map((c) => c.attempts)],
    )) as [unknown, number];
    return affected;
  }

  /** Marks delivered the message of this event whoever holds it (its call was just made outside the relay). */
  async markSentByDedupeKey(dedupeKey: string): Promise<void> {
    await this.manager.query(
      `UPDATE outbox SET status = 'sent', sent_at = now(), last_error = NULL WHERE dedupe_key = $1 AND status = 'pending'`,
      [dedupeKey],
    );
  }

  /** Brings the claim back after `delayMs`, if it still holds. */
  async reschedule(claim: ClaimFence, delayMs: number, error: string): Promise<void> {
    await this.manager.query(
      `UPDATE outbox SET next_attempt_at = now() + make_interval(secs => $3::double precision / 1000), last_error = $4
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [claim.id, claim.attempts, delayMs, error],
    );
  }

  /** Gives the message up for good, if the claim still holds. */
  async markFailed(claim: ClaimFence, error: string): Promise<void> {
    await this.manager.query(
      `UPDATE outbox SET status = 'failed', last_error = $3 WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [claim.id, claim.attempts, error],
    );
  }

  findByDedupeKey(dedupeKey: string): Promise<OutboxEntity | null> {
    return this.manager.findOne(OutboxEntity, { where: { dedupeKey } });
  }

  /** How many messages are due now, and how long the oldest has waited (one index scan). */
  async backlog(): Promise<OutboxBacklog> {
    const [row] = (await this.manager.query(
      `SELECT count(*)::int AS due, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age
         FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()`,
    )) as Array<{ due: number; age: number }>;
    return { due: row?.due ?? 0, oldestAgeSeconds: row?.age ?? 0 };
  }
}
