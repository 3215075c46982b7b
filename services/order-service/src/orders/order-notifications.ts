import type { NewOutboxMessage } from '../outbox/outbox-message';
import { fromCents, toCents } from './money';
import type { OrderStatus } from './order-status';

const TEXT: Partial<Record<OrderStatus, { title: string; sentence: string }>> = {
  confirmed: { title: 'Order confirmed', sentence: 'has been confirmed' },
  cancelled: { title: 'Order cancelled', sentence: 'has been cancelled' },
  shipped: { title: 'Order shipped', sentence: 'has been shipped' },
  delivered: { title: 'Order delivered', sentence: 'has been delivered' },
};

/** The email for a status change; its dedupe key makes it one per order and status, ever. */
export function notificationFor(order: { id: string; userId: string; totalAmount: string }, status: OrderStatus): NewOutboxMessage {
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
    },
  };
}
