import { NotificationType } from '@shop/contracts';

/** Where a notification goes, as the User service knows the recipient. */
export interface Recipient {
  userId: string;
  name: string;
  email: string;
  phone: string | null;
}

/** What a transport sends: the stored notification's content. */
export interface OutgoingNotification {
  id: string;
  title: string;
  description: string;
  metadata?: Record<string, unknown>;
}

/**
 * The port every delivery channel implements. `send` resolves once the provider accepted the
 * message and rejects when it did not: a PermanentDeliveryError for a failure no retry can fix,
 * anything else is retried with backoff.
 */
export interface NotificationTransport {
  readonly channel: NotificationType;
  send(recipient: Recipient, notification: OutgoingNotification): Promise<void>;
}

/** One injection token per channel: bind another provider to a token to swap a transport. */
export const TRANSPORT_TOKENS: Readonly<Record<NotificationType, symbol>> = {
  email: Symbol('EMAIL_TRANSPORT'),
  sms: Symbol('SMS_TRANSPORT'),
  push: Symbol('PUSH_TRANSPORT'),
};
