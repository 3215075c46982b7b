import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TraceCarrier } from '@shop/telemetry';
import type { OutboxPayload, OutboxTopic } from './outbox-message';

/**
 * `pending` until delivered (`sent`); `failed` only when the destination refused the message
 * itself (a 4xx other than 408/429), which no retry can fix.
 */
export type OutboxStatus = 'pending' | 'sent' | 'failed';

/**
 * A call to another service that must happen after a commit and be retried until done (a
 * notification, a stock release), written in the same transaction as the change it follows, so
 * the two are committed together or not at all. The relay (outbox-relay.ts) delivers it.
 */
@Entity('outbox')
export class OutboxEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 30, default: 'notification' })
  topic: OutboxTopic;

  /** e.g. `order-confirmed:<orderId>`: one row per event (for a notification, also the Notification service's dedupe key). */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 200, unique: true })
  dedupeKey: string;

  @Column({ type: 'jsonb' })
  payload: OutboxPayload;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status: OutboxStatus;

  /** Counts claims; a relay's outcome is recorded only while the count is still the one it claimed at (its lease holds). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** The trace context of the change that wrote the row, continued by its delivery; null with tracing off. */
  @Column({ name: 'trace_context', type: 'jsonb', nullable: true })
  traceContext: TraceCarrier | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
