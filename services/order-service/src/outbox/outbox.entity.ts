import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CreateNotificationInput } from '@shop/service-client';

/**
 * `pending` until delivered (`sent`); `failed` only when the Notification service refused the
 * message itself (a 4xx other than 408/429), which no retry can fix.
 */
export type OutboxStatus = 'pending' | 'sent' | 'failed';

/**
 * A notification to deliver, written in the same transaction as the change it announces, so
 * the two are committed together or not at all. The relay (outbox-relay.ts) delivers it.
 */
@Entity('outbox')
export class OutboxEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** e.g. `order-confirmed:<orderId>`: one row per event, and the Notification service's dedupe key. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 200, unique: true })
  dedupeKey: string;

  @Column({ type: 'jsonb' })
  payload: CreateNotificationInput;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
