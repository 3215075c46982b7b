import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ConflictError, isLockNotAvailable } from '@shop/errors';
import { captureTraceContext } from '@shop/telemetry';
import type { NewOutboxMessage } from '../outbox/outbox-message';
import type { ChangeCursor, ListPage, ListPageRequest, NewOrderItem, OrderClaim, OrderRecords, PassClaim } from './order.ports';
import type { ShippingAddress } from './order-request.rules';
import { LIVE_STATUSES, type StoredOrderStatus } from './order-status.rules';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';

/**
 * The statuses the reconciliation judges (live and cancelled), written into the statement rather
 * than passed as a parameter: only a literal list lets PostgreSQL prove that the partial index
 * ix_orders_judged_updated (reconciliation-passes migration) applies.
 */
const JUDGED_STATUSES_SQL = [...LIVE_STATUSES, 'cancelled'].map((status) => `'${status}'`).join(', ');

interface OrderRow {
  id: string;
  user_id: string;
  status: StoredOrderStatus;
  total_amount: string;
  shipping_address: ShippingAddress | null;
  idempotency_key: string | null;
  request_hash: string;
  created_at: Date;
  updated_at: Date;
}

interface ItemRow {
  id: string;
  order_id: string;
  product_id: string;
  product_name: string;
  unit_price: string;
  quantity: number;
  line_total: string;
}

/** Data access for orders and their items (the use cases' OrderRecords port). No rules here: the use cases decide. */
export class OrderRepository implements OrderRecords {
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

  /**
   * pending → confirmed in one statement and one commit: the status and total, the items, the
   * message that announces it (the outbox), and the removal of the customer's cart lines it was
   * checked out from (`cartLines`). Nothing is written when the order is no longer pending (its
   * placement was given up meanwhile: null), nor when one of those cart lines is no longer there
   * as it was read ('cart-changed'): another checkout of the same cart took it, or the customer
   * changed it. The lines are locked in product order first, so of two checkouts of one cart
   * the second waits for the first and then finds its lines gone: a cart is ordered once.
   */
  async confirmWithItems(
    orderId: string,
    items: readonly NewOrderItem[],
    totalAmount: string,
    announcement: NewOutboxMessage,
    cartLines: readonly { productId: string; quantity: number }[] = [],
  ): Promise<{ createdAt: Date; updatedAt: Date } | 'cart-changed' | null> {
    const rows: Array<{ created_at: Date | null; updated_at: Date | null; cart_intact: boolean }> = await this.manager.query(
      `WITH cart AS (
         SELECT ci.product_id
           FROM cart_items ci
           JOIN unnest($13::uuid[], $14::integer[]) AS l(product_id, quantity)
             ON ci.product_id = l.product_id AND ci.quantity = l.quantity
          WHERE ci.user_id = (SELECT user_id FROM orders WHERE id = $1)
          ORDER BY ci.product_id
            FOR UPDATE OF ci
       ), intact AS (
         SELECT count(*) = cardinality($13::uuid[]) AS ok FROM cart
       ), confirmed AS (
         UPDATE orders SET status = 'confirmed', total_amount = $2, updated_at = now()
          WHERE id = $1 AND status = 'pending' AND (SELECT ok FROM intact)
         RETURNING id, user_id, created_at, updated_at
       ), items AS (
         INSERT INTO order_items (id, order_id, product_id, product_name, unit_price, quantity, line_total)
         SELECT i.id, c.id, i.product_id, i.product_name, i.unit_price, i.quantity, i.line_total
           FROM confirmed c,
                unnest($11::uuid[], $3::uuid[], $4::varchar[], $5::numeric[], $6::integer[], $7::numeric[])
                  AS i(id, product_id, product_name, unit_price, quantity, line_total)
       ), announced AS (
         INSERT INTO outbox (topic, dedupe_key, payload, trace_context)
         SELECT $8, $9, $10::jsonb, $12::jsonb FROM confirmed
         ON CONFLICT (dedupe_key) DO NOTHING
       ), checked_out AS (
         DELETE FROM cart_items ci
          USING confirmed c, unnest($13::uuid[], $14::integer[]) AS l(product_id, quantity)
          WHERE ci.user_id = c.user_id AND ci.product_id = l.product_id AND ci.quantity = l.quantity
       )
       SELECT c.created_at, c.updated_at, i.ok AS cart_intact FROM intact i LEFT JOIN confirmed c ON true`,
      [
        orderId,
        totalAmount,
        items.map((i) => i.productId),
        items.map((i) => i.productName),
        items.map((i) => i.unitPrice),
        items.map((i) => i.quantity),
        items.map((i) => i.lineTotal),
        announcement.topic,
        announcement.dedupeKey,
        JSON.stringify(announcement.payload),
        items.map((i) => i.id),
        // The delivery of the announcement continues the trace of the placement.
        JSON.stringify(captureTraceContext()),
        cartLines.map((l) => l.productId),
        cartLines.map((l) => l.quantity),
      ],
    );
    const [row] = rows;
    if (row?.created_at && row.updated_at) return { createdAt: row.created_at, updatedAt: row.updated_at };
    return row && !row.cart_intact ? 'cart-changed' : null;
  }

  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<OrderEntity | null> {
    return this.manager.findOne(OrderEntity, { where: { userId, idempotencyKey } });
  }

  findById(id: string): Promise<OrderEntity | null> {
    return this.manager.findOne(OrderEntity, { where: { id }, relations: { items: true }, order: { items: { productId: 'ASC' } } });
  }

  /**
   * Reads and row-locks an order until the surrounding transaction ends, so two status changes
   * of one order never interleave. Holders never make a remote call, so the wait is short.
   */
  async lockById(id: string): Promise<OrderEntity | null> {
    await this.manager.query(`SET LOCAL lock_timeout = '5s'`);
    try {
      return await this.manager.findOne(OrderEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    } catch (err) {
      if (isLockNotAvailable(err)) {
        throw new ConflictError(`Order ${id} is being changed by another request, try again`, {
          code: 'ORDER_BUSY',
          headers: { 'Retry-After': '1' },
        });
      }
      throw err;
    }
  }

  /** Moves the order from `from` to `to`; false when it is no longer in `from`. */
  async setStatus(id: string, from: StoredOrderStatus, to: StoredOrderStatus): Promise<boolean> {
    const [, affected] = (await this.manager.query(`UPDATE orders SET status = $3, updated_at = now() WHERE id = $1 AND status = $2`, [
      id,
      from,
      to,
    ])) as [unknown, number];
    return affected === 1;
  }

  /** pending → abandoned for every order claimed more than `olderThanMs` ago (at most `limit`); returns their ids. */
  async abandonStale(olderThanMs: number, limit: number): Promise<string[]> {
    const [rows] = (await this.manager.query(
      `UPDATE orders o SET status = 'abandoned', updated_at = now()
         FROM (SELECT id FROM orders
                WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1::double precision / 1000)
                ORDER BY created_at
                LIMIT $2
                FOR UPDATE SKIP LOCKED) stale
        WHERE o.id = stale.id
      RETURNING o.id`,
      [olderThanMs, limit],
    )) as [Array<{ id: string }>, number];
    return rows.map((r) => r.id);
  }

  /** Removes an order still `pending` (nothing was reserved for it); false when it is not. */
  async deletePending(id: string): Promise<boolean> {
    return this.deleteIn(id, 'pending');
  }

  /** Removes an `abandoned` order (its stock is back; its items go with it); false when it is not. */
  async deleteAbandoned(id: string): Promise<boolean> {
    return this.deleteIn(id, 'abandoned');
  }

  /** The stored status of each of these orders (missing ones are absent). */
  async statusesOf(ids: readonly string[]): Promise<Map<string, StoredOrderStatus>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; status: StoredOrderStatus }> = await this.manager.query(
      `SELECT id, status FROM orders WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /**
   * The orders the reconciliation judges (live and cancelled) whose last change (updated_at: the
   * confirmation or a status change) is in [from, to), oldest change first after `after`, with
   * their items, and the cursor after the last.
   */
  async listChanged(from: Date, to: Date, limit: number, after?: ChangeCursor): Promise<{ orders: OrderEntity[]; next?: ChangeCursor }> {
    const rows: Array<OrderRow & { cursor_at: string }> = await this.manager.query(
      `SELECT *, updated_at::text AS cursor_at FROM orders
        WHERE status IN (${JUDGED_STATUSES_SQL}) AND updated_at >= $1 AND updated_at < $2
          AND ($4::timestamptz IS NULL OR (updated_at, id) > ($4::timestamptz, $5::uuid))
        ORDER BY updated_at, id
        LIMIT $3`,
      [from, to, limit, after?.updatedAt ?? null, after?.id ?? null],
    );
    const last = rows.at(-1);
    return { orders: await this.withItems(rows), next: last && { updatedAt: last.cursor_at, id: last.id } };
  }

  /**
   * Claims the pass `name` for `leaseMs` unless another holder's lease still runs, and returns
   * where the previous pass settled (`start` when none ever did) and the claim's token; null
   * when another replica holds it. Nothing stays locked while the pass runs.
   */
  async claimPass(name: string, start: Date, leaseMs: number): Promise<PassClaim | null> {
    const token = randomUUID();
    const rows: Array<{ settled_until: Date }> = await this.manager.query(
      `INSERT INTO reconciliation_passes (name, settled_until, lease_token, lease_until)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000))
       ON CONFLICT (name) DO UPDATE SET lease_token = EXCLUDED.lease_token, lease_until = EXCLUDED.lease_until
        WHERE reconciliation_passes.lease_until IS NULL OR reconciliation_passes.lease_until <= now()
       RETURNING settled_until`,
      [name, start, token, leaseMs],
    );
    const [row] = rows;
    return row ? { token, settledUntil: row.settled_until } : null;
  }

  /**
   * Ends a claimed pass: moves its settled point forward to `settledUntil` (never back; null
   * leaves it) and frees the lease. False when the claim was lost (the lease ran out and another
   * replica took the pass): then nothing is written.
   */
  async endPass(name: string, claim: PassClaim, settledUntil: Date | null): Promise<boolean> {
    const [, affected] = (await this.manager.query(
      `UPDATE reconciliation_passes
          SET settled_until = GREATEST(settled_until, coalesce($3, settled_until)), lease_token = NULL, lease_until = NULL
        WHERE name = $1 AND lease_token = $2`,
      [name, claim.token, settledUntil],
    )) as [unknown, number];
    return affected === 1;
  }

  /**
   * One page of a user's orders, newest first, with their items, and the user's total: two
   * statements whatever the page size and however many orders the user has. The total is the
   * kept count (order_counts, exact: maintained by a trigger), never a count of the history; the
   * page starts `after` a position (keyset, so a deep page reads no more than the first) or at
   * `offset`. One row more than asked tells whether another page follows.
   */
  async listByUser(userId: string, page: ListPageRequest): Promise<ListPage> {
    const rows: Array<(OrderRow & { position_at: string; total: number }) | { id: null; total: number }> = await this.manager.query(
      `SELECT c.total, p.*
         FROM (SELECT coalesce((SELECT listed FROM order_counts WHERE user_id = $1), 0) AS total) c
         LEFT JOIN LATERAL (
           SELECT o.*, (extract(epoch FROM o.created_at) * 1000000)::bigint::text AS position_at
             FROM orders o
            WHERE o.user_id = $1 AND o.status <> 'abandoned'
              AND ($4::bigint IS NULL
                   OR (o.created_at, o.id) < (timestamptz 'epoch' + $4::bigint * interval '1 microsecond', $5::uuid))
            ORDER BY o.created_at DESC, o.id DESC
            OFFSET $2 LIMIT $3
         ) p ON true`,
      [userId, page.after ? 0 : (page.offset ?? 0), page.limit + 1, page.after?.createdAtMicros ?? null, page.after?.id ?? null],
    );
    const total = Number(rows[0].total);
    const found = rows.filter((r): r is OrderRow & { position_at: string; total: number } => r.id !== null);
    const onPage = found.slice(0, page.limit);
    const last = onPage.at(-1);
    return {
      orders: await this.withItems(onPage),
      total,
      next: found.length > page.limit && last ? { createdAtMicros: last.position_at, id: last.id } : undefined,
    };
  }

  private async deleteIn(id: string, status: StoredOrderStatus): Promise<boolean> {
    const [, affected] = (await this.manager.query(`DELETE FROM orders WHERE id = $1 AND status = $2`, [id, status])) as [unknown, number];
    return affected === 1;
  }

  private async withItems(rows: readonly OrderRow[]): Promise<OrderEntity[]> {
    if (rows.length === 0) return [];
    const items: ItemRow[] = await this.manager.query(`SELECT * FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY product_id`, [
      rows.map((r) => r.id),
    ]);
    const byOrder = new Map<string, OrderItemEntity[]>();
    for (const item of items) {
      const list = byOrder.get(item.order_id) ?? [];
      list.push(toItem(item));
      byOrder.set(item.order_id, list);
    }
    return rows.map((row) => toOrder(row, byOrder.get(row.id) ?? []));
  }
}

function toOrder(row: OrderRow, items: OrderItemEntity[]): OrderEntity {
  return Object.assign(new OrderEntity(), {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    totalAmount: row.total_amount,
    shippingAddress: row.shipping_address,
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    items,
  });
}

function toItem(row: ItemRow): OrderItemEntity {
  return Object.assign(new OrderItemEntity(), {
    id: row.id,
    orderId: row.order_id,
    productId: row.product_id,
    productName: row.product_name,
    unitPrice: row.unit_price,
    quantity: row.quantity,
    lineTotal: row.line_total,
  });
}
