import { Inject, Injectable } from '@nestjs/common';
import { Logger } from '@shop/observability';
import { APP_LOGGER } from '@shop/nest-kit';
import { NotificationTransport, OutgoingNotification, Recipient } from './notification-transport';
import { RecordedOutbox } from './recorded-outbox';

export interface RecordedPush {
  notificationId: string;
  userId: string;
  title: string;
  body: string;
  data?: Record<string, unknown>;
  at: Date;
}

/**
 * The default push provider: logs and records what would be sent, and sends nothing. This is
 * the place to plug Firebase Cloud Messaging or APNs (looking up the user's device tokens):
 * implement NotificationTransport and bind it to TRANSPORT_TOKENS.push (createApp's
 * `transports.push`).
 */
@Injectable()
export class RecordingPushTransport implements NotificationTransport {
  readonly channel = 'push' as const;
  readonly outbox = new RecordedOutbox<RecordedPush>();

  constructor(@Inject(APP_LOGGER) private readonly logger: Logger) {}

  async send(recipient: Recipient, notification: OutgoingNotification): Promise<void> {
    this.outbox.record({
      notificationId: notification.id,
      userId: recipient.userId,
      title: notification.title,
      body: notification.description,
      data: notification.metadata,
      at: new Date(),
    });
    this.logger.info(
      { notificationId: notification.id, userId: recipient.userId },
      'push notification recorded (no push provider configured)',
    );
  }
}
