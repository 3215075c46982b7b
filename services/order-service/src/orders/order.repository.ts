import { EntityManager, In } from 'typeorm';
import { ConflictError } from '@shop/errors';
import type { ShippingAddress } from './order-request';
import type { OrderStatus } from './order-status';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';

/** PostgreSQL's lock_not_available: lock_timeout ran out. */
const LOCK_NOT_AVAILABLE = '55P03';

export interface OrderClaim {
  id: string;
  userId: string;
  idempotencyKey: string | null;
  requestHash: string;
  shippingAddress: ShippingAddress | null;
}

export type NewOrderItem = Pick<OrderItemEntity, 'productId' | 'productName' | 'unitPrice' | 'quantity' | 'lineTotal'>;

/** A `pending` order the stale-order recovery holds the row lock of. */
export interface StalePendingOrder {
  id: string;
  userId: string;
  idempotencyKey: string | null;
  createdAt: Date;
  itemCount: number;
}

export interface Page {
  page: number;
  limit: number;
}

/** Data access for orders and their items. No rules here: order.service.ts decides. */
export class OrderRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Inserts the order as `pending` unless this user already used this Idempotency-Key: the
   * unique constraint decides atomically which of several racing requests owns the key.
   * Returns false when the key was taken.
   */
  async claim(claim: OrderClaim): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO orders (id, user_id, status, total_amount, shipping_address, idempotency_key, request_hash)
       VALUES ($1, $2, 'pending', 0, $3::jsonb, $4, $5)
       ON CONFLICT ON CONSTRAINT uq_orders_user_idempotency_key DO NOTHING
       RETURNING id`,
      [
        claim.id,
        claim.userId,
        claim.shippingAddress ? JSON.stringify(claim.shippingAddress) : null,
        claim.idempotencyKey,
        claim.requestHash,
      ],
    );
    return rows.length === 1;
  }

  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<OrderEntity | null> {
    return this.manager.findOne(OrderEntity, { where: { userId, idempotencyKey } });
  }

  findById(id: string): Promise<OrderEntity | null> {
    return this.manager.findOne(OrderEntity, { where: { id }, relations: { items: true }, order: { items: { productId: 'ASC' } } });
  }

  /**
   * Reads and row-locks an order until the surrounding transaction ends, so a status change and
   * the call it depends on (release or confirm the stock) are never interleaved with another.
   */
  async lockById(id: string): Promise<OrderEntity | null> {
    // Bounded: the lock holder waits on at most one call to the Product service. (config.ts's
    // longestPlacementMs counts this wait: keep them in step.)
    await this.manager.query(`SET LOCAL lock_timeout = '20s'`);
    try {
      return await this.manager.findOne(OrderEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    } catch (err) {
      if ((err as { driverError?: { code?: string } }).driverError?.code === LOCK_NOT_AVAILABLE) {
        throw new ConflictError(`Order ${id} is being changed by another request, try again`, {
          code: 'ORDER_BUSY',
          headers: { 'Retry-After': '1' },
        });
      }
      throw err;
    }
  }

  /**
   * Writes the priced items and the total of an order that is still pending (call inside a
   * transaction, so that nothing is written when it is not). False when it is not pending.
   */
  async addItems(orderId: string, items: readonly NewOrderItem[], totalAmount: string): Promise<boolean> {
    const result = await this.manager.update(OrderEntity, { id: orderId, status: 'pending' }, { totalAmount });
    if (result.affected !== 1) return false;
    await this.manager.insert(
      OrderItemEntity,
      items.map((item) => ({ ...item, orderId })),
    );
    return true;
  }

  /** Moves the order from `from` to `to`; false when it is no longer in `from`. */
  async setStatus(id: string, from: OrderStatus, to: OrderStatus): Promise<boolean> {
    const result = await this.manager.update(OrderEntity, { id, status: from }, { status: to });
    return result.affected === 1;
  }

  /** Removes an order that never got past `pending` (its items go with it). */
  async deletePending(id: string): Promise<boolean> {
    const result = await this.manager.delete(OrderEntity, { id, status: 'pending' });
    return result.affected === 1;
  }

  /**
   * Row-locks the oldest order still `pending` that was claimed more than `olderThanMs` ago,
   * leaving out `exclude`; null when there is none. Call inside a transaction: the lock lasts
   * until it ends. `SKIP LOCKED` passes over rows another transaction holds (another instance's
   * recovery, or a placement confirming its order), and PostgreSQL evaluates the WHERE again on
   * the row as it is once locked, so what comes back is pending and old under the lock: a
   * placement that confirmed it in the meantime makes it drop out.
   */
  async lockStalePending(olderThanMs: number, exclude: readonly string[] = []): Promise<StalePendingOrder | null> {
    const rows: Array<{ id: string; user_id: string; idempotency_key: string | null; created_at: Date; item_count: number }> =
      await this.manager.query(
        `SELECT o.id, o.user_id, o.idempotency_key, o.created_at,
                (SELECT count(*)::int FROM order_items i WHERE i.order_id = o.id) AS item_count
           FROM orders o
          WHERE o.status = 'pending'
            AND o.created_at < now() - make_interval(secs => $1::double precision / 1000)
            AND o.id <> ALL($2::uuid[])
          ORDER BY o.created_at
          LIMIT 1
          FOR UPDATE OF o SKIP LOCKED`,
        [olderThanMs, exclude],
      );
    const [row] = rows;
    if (!row) return null;
    return { id: row.id, userId: row.user_id, idempotencyKey: row.idempotency_key, createdAt: row.created_at, itemCount: row.item_count };
  }

  /** One page of a user's orders, newest first, with their items (two queries whatever the page size). */
  async listByUser(userId: string, { page, limit }: Page): Promise<{ orders: OrderEntity[]; total: number }> {
    const [orders, total] = await this.manager.findAndCount(OrderEntity, {
      where: { userId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (page - 1) * limit,
      take: limit,
    });
    if (orders.length === 0) return { orders, total };
    const items = await this.manager.find(OrderItemEntity, {
      where: { orderId: In(orders.map((o) => o.id)) },
      order: { productId: 'ASC' },
    });
    for (const order of orders) order.items = items.filter((i) => i.orderId === order.id);
    return { orders, total };
  }
}
