import { Inject, Injectable } from '@nestjs/common';
import { Logger } from '@shop/observability';
import { APP_LOGGER } from '@shop/nest-kit';
import { NotificationTransport, OutgoingNotification, Recipient } from './notification-transport';
import { PermanentDeliveryError } from './permanent-delivery.error';
import { RecordedOutbox } from './recorded-outbox';

export interface RecordedSms {
  notificationId: string;
  to: string;
  body: string;
  at: Date;
}

/**
 * The default SMS provider: logs and records what would be sent, and sends nothing. This is the
 * place to plug a real gateway (Twilio, Vonage, ...): implement NotificationTransport with its
 * SDK and bind it to TRANSPORT_TOKENS.sms (createApp's `transports.sms`).
 */
@Injectable()
export class RecordingSmsTransport implements NotificationTransport {
  readonly channel = 'sms' as const;
  readonly outbox = new RecordedOutbox<RecordedSms>();

  constructor(@Inject(APP_LOGGER) private readonly logger: Logger) {}

  async send(recipient: Recipient, notification: OutgoingNotification): Promise<void> {
    if (!recipient.phone) throw new PermanentDeliveryError('The recipient has no phone number');
    const sms: RecordedSms = {
      notificationId: notification.id,
      to: recipient.phone,
      body: `${notification.title}: ${notification.description}`,
      at: new Date(),
    };
    this.outbox.record(sms);
    this.logger.info({ notificationId: sms.notificationId, userId: recipient.userId }, 'SMS recorded (no SMS provider configured)');
  }
}
