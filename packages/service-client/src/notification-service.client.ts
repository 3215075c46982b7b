import { HttpServiceClient } from './http-service-client';
import { CreateNotificationInput, NotificationBatchResult, NotificationDto } from '@shop/contracts';

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

  /** At most this many notifications per batch (the Notification service refuses more). */
  static readonly MAX_BATCH = 100;

  /**
   * `POST /api/notifications/batch`: stores and queues many at once, one result per input in
   * order. Every input must carry a dedupeKey, which makes the batch safe to retry.
   */
  createMany(inputs: readonly CreateNotificationInput[]): Promise<NotificationBatchResult[]> {
    return this.http
      .call<{ results: NotificationBatchResult[] }>({
        method: 'POST',
        path: '/api/notifications/batch',
        body: { notifications: inputs },
        retry: true,
      })
      .then((d) => d.results);
  }
}
