import { Deliverable } from '../queue/delivery.queue';
import { NotificationRecord } from './notification.model';

/** What a job carries of a stored notification; `since` defaults to when it was stored. */
export function deliverableOf(notification: NotificationRecord, since = notification.createdAt.getTime()): Deliverable {
  return {
    id: notification._id.toHexString(),
    userId: notification.userId,
    notificationType: notification.notificationType,
    title: notification.title,
    description: notification.description,
    ...(notification.metadata ? { metadata: notification.metadata } : {}),
    ...(notification.recipient ? { recipient: notification.recipient } : {}),
    since,
  };
}
