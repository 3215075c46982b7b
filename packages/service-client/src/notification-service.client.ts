import { HttpServiceClient } from './http-service-client';
import { CreateNotificationInput, NotificationDto } from './contracts';

export class NotificationServiceClient {
  constructor(readonly http: HttpServiceClient) {}

  /**
   * `POST /api/notifications`: stores and queues a notification. With a dedupeKey the
   * Notification service sends once however often this is repeated, so it is then retried.
   */
  create(input: CreateNotificationInput): Promise<NotificationDto> {
    return this.http
      .call<{ notification: NotificationDto }>({
        method: 'POST',
        path: '/api/notifications',
        body: input,
        idempotencyKey: input.dedupeKey,
      })
      .then((d) => d.notification);
  }
}
