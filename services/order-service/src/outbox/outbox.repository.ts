import { EntityManager } from 'typeorm';
import type { CreateNotificationInput } from '@shop/service-client';
import { OutboxEntity } from './outbox.entity';

export interface NewOutboxMessage {
  dedupeKey: string;
  payload: CreateNotificationInput;
}

/** A row taken by one relay for one delivery attempt. */
export interface ClaimedMessage {
  id: string;
  dedupeKey: string;
  payload: CreateNotificationInput;
  /** Including the attempt being made. */
  attempts: number;
}

export class OutboxRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Records a message; a second one for the same event (same dedupe key) is ignored. */
  async enqueue(message: NewOutboxMessage): Promise<void> {
    await this.manager.query(`INSERT INTO outbox (dedupe_key, payload) VALUES ($1, $2::jsonb) ON CONFLICT (dedupe_key) DO NOTHING`, [
      message.dedupeKey,
      JSON.stringify(message.payload),
    ]);
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
      RETURNING o.id, o.dedupe_key, o.payload, o.attempts`,
      [limit, leaseMs],
    )) as [Array<{ id: string; dedupe_key: string; payload: CreateNotificationInput; attempts: number }>, number];
    return rows.map((r) => ({ id: r.id, dedupeKey: r.dedupe_key, payload: r.payload, attempts: r.attempts }));
  }

  async markSent(id: string): Promise<void> {
    await this.manager.update(OutboxEntity, { id }, { status: 'sent', sentAt: () => 'now()', lastError: null });
  }

  async reschedule(id: string, delayMs: number, error: string): Promise<void> {
    await this.manager.query(
      `UPDATE outbox SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), last_error = $3 WHERE id = $1`,
      [id, delayMs, error],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.manager.update(OutboxEntity, { id }, { status: 'failed', lastError: error });
  }

  findByDedupeKey(dedupeKey: string): Promise<OutboxEntity | null> {
    return this.manager.findOne(OutboxEntity, { where: { dedupeKey } });
  }
}
