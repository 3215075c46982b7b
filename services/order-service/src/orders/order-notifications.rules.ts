import type { AuthenticatedUser } from '@shop/internal-auth';
import type { NotificationRecipient } from '@shop/service-client';
import type { NewOutboxMessage } from '../outbox/outbox-message';
import { fromCents, toCents } from './money.rules';
import type { OrderStatus, StoredOrderStatus } from './order-status.rules';

const TEXT: Partial<Record<OrderStatus, { title: string; sentence: string }>> = {
  confirmed: { title: 'Order confirmed', sentence: 'has been confirmed' },
  cancelled: { title: 'Order cancelled', sentence: 'has been cancelled' },
  shipped: { title: 'Order shipped', sentence: 'has been shipped' },
  delivered: { title: 'Order delivered', sentence: 'has been delivered' },
};

/**
 * The email for a status change; its dedupe key makes it one per order and status, ever. With
 * the recipient (known when the customer acts), the Notification service sends without asking
 * the User service.
 */
export function notificationFor(
  order: { id: string; userId: string; totalAmount: string },
  status: OrderStatus,
  recipient?: NotificationRecipient,
): NewOutboxMessage {
  const text = TEXT[status] ?? { title: `Order ${status}`, sentence: `is now ${status}` };
  const total = fromCents(toCents(order.totalAmount)).toFixed(2);
  const dedupeKey = `order-${status}:${order.id}`;
  return {
    topic: 'notification',
    dedupeKey,
    payload: {
      userId: order.userId,
      title: text.title,
      description: `Your order #${order.id} ${text.sentence}. Total: $${total}`,
      notificationType: 'email',
      metadata: { orderId: order.id, status, totalAmount: Number(total) },
      dedupeKey,
      ...(recipient ? { recipient } : {}),
    },
  };
}

/** What the Notification service takes as a recipient's name (one line, at most 200 characters). */
const NAME = /^[^\r\n]{1,200}$/;

/**
 * The customer's address as the token check gave it, if it did. A name the Notification service
 * would refuse is left out rather than risk the email: the address alone is enough.
 */
export function recipientOf(user: Partial<Pick<AuthenticatedUser, 'email' | 'firstName' | 'lastName'>>): NotificationRecipient | undefined {
  if (!user.email) return undefined;
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ').trim();
  return NAME.test(name) ? { email: user.email, name } : { email: user.email };
}

/**
 * Whether a status change is emailed to the customer. A cancel of a `pending` order is not: it
 * was never confirmed, so the customer was never told of it and it has no total yet (the email
 * would say $0.00); whoever cancelled it, the customer in the usual case, has the cancel's answer.
 */
export function isAnnounced(from: StoredOrderStatus, to: OrderStatus): boolean {
  return !(from === 'pending' && to === 'cancelled');
}
