import { AppError, UpstreamRejectionError } from '@shop/errors';
import type { CreateNotificationInput, NotificationServiceClient } from '@shop/service-client';
import type { ClaimedMessage } from './outbox-message';
import { Deliver, DeliveryOutcome, oneByOne } from './outbox-relay';

/**
 * The outbox's notifications, handed to the Notification service a batch per call. When the
 * batch itself is refused (one malformed message, or a Notification service without the batch
 * route), they go one by one, so that only a message that is really refused fails.
 */
export function deliverNotifications(notifications: NotificationServiceClient): Deliver {
  const single = oneByOne(async (message) => {
    await notifications.create(message.payload as CreateNotificationInput);
  });
  return async (messages: readonly ClaimedMessage[]): Promise<DeliveryOutcome[]> => {
    try {
      const results = await notifications.createMany(messages.map((m) => m.payload as CreateNotificationInput));
      return results.map((r) =>
        r.status === 'rejected' ? { error: new UpstreamRejectionError('notification-service', 409, r.code, r.error) } : undefined,
      );
    } catch (err) {
      if (err instanceof AppError && err.isClientError && err.status !== 408 && err.status !== 429) return single(messages);
      throw err;
    }
  };
}
