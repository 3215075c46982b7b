import type { CreateNotificationInput } from '@shop/service-client';
import type { TraceCarrier } from '@shop/telemetry';

/** What the outbox carries: each topic is delivered by its own handler (outbox-delivery.ts). */
export type OutboxTopic = 'notification' | 'stock-release';

/** Give an order's stock back at the Product service; an `abandoned` order is removed after. */
export interface StockReleasePayload {
  orderId: string;
}

export type OutboxMessage =
  | { topic: 'notification'; dedupeKey: string; payload: CreateNotificationInput }
  | { topic: 'stock-release'; dedupeKey: string; payload: StockReleasePayload };

export type OutboxPayload = OutboxMessage['payload'];

/** A message to record, optionally held back (when the caller tries the call itself first). */
export type NewOutboxMessage = OutboxMessage & { delayMs?: number };

/** A row taken by one relay for one delivery attempt. */
export type ClaimedMessage = OutboxMessage & {
  id: string;
  /** Including the attempt being made; the fence of this claim. */
  attempts: number;
  /** The trace of the change that wrote it (null when tracing was off). */
  traceContext?: TraceCarrier | null;
};

/** The one stock release per order (cancelled or abandoned, never both). */
export function stockReleaseFor(orderId: string, delayMs?: number): NewOutboxMessage {
  return { topic: 'stock-release', dedupeKey: `stock-release:${orderId}`, payload: { orderId }, delayMs };
}
