import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { ReservationStatus } from '@shop/contracts';
import { postgresRefusal } from '@shop/errors';
import { ReservationItemEntity } from './reservation-item.entity';
import { ReservationEntity } from './reservation.entity';

/** Why reserve_stock refused a line (its SQLSTATE SR001 DETAIL). */
export interface RefusedLine {
  productId: string;
  requested: number;
  reason: 'not_found' | 'inactive' | 'insufficient';
  name: string | null;
  available: number | null;
}

/** A product reserve_stock found unknown or not for sale (SQLSTATE SR002 DETAIL, one entry each). */
export interface UnavailableProduct {
  productId: string;
  reason: 'not_found' | 'inactive';
  name: string | null;
}

/** Raised by reserveAll when the reservation cannot be made: nothing was reserved. */
export class ReservationRefused extends Error {
  constructor(readonly refusal: { kind: 'unavailable'; products: UnavailableProduct[] } | { kind: 'short'; line: RefusedLine }) {
    super(`reservation refused: ${refusal.kind}`);
  }
}

const STOCK_SHORT = 'SR001';
const PRODUCTS_UNAVAILABLE = 'SR002';

interface ReserveStockRow {
  r_created: boolean;
  r_status: ReservationStatus;
  r_expires_at: Date;
  r_created_at: Date;
  r_updated_at: Date;
  r_product_id: string;
  r_name: string;
  r_quantity: number;
  r_unit_price: string;
}

/**
 * Data access for reservations and the stock they move. Every method that changes something
 * takes the transaction's EntityManager: the service decides what one transaction holds.
 */
@Injectable()
export class ReservationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findWithItems(orderId: string, manager: EntityManager = this.dataSource.manager): Promise<ReservationEntity | null> {
    return manager.findOne(ReservationEntity, {
      where: { orderId },
      relations: { items: true },
      order: { items: { productId: 'ASC' } },
    });
  }

  /**
   * The whole reservation in one statement and one commit (the reserve_stock function of the
   * migrations): every line or none. Undefined when the order id already has a reservation
   * (nothing was touched); throws ReservationRefused when a line cannot be taken.
   */
  async reserveAll(
    orderId: string,
    lines: readonly { productId: string; quantity: number }[],
    status: ReservationStatus,
    ttlMs: number,
  ): Promise<ReservationEntity | undefined> {
    let rows: ReserveStockRow[];
    try {
      rows = await this.dataSource.query(`SELECT * FROM reserve_stock($1, $2::uuid[], $3::integer[], $4, $5)`, [
        orderId,
        lines.map((l) => l.productId),
        lines.map((l) => l.quantity),
        status,
        ttlMs,
      ]);
    } catch (err) {
      const refusal = postgresRefusal(err);
      if (refusal?.code === STOCK_SHORT && refusal.detail) {
        throw new ReservationRefused({ kind: 'short', line: JSON.parse(refusal.detail) as RefusedLine });
      }
      if (refusal?.code === PRODUCTS_UNAVAILABLE && refusal.detail) {
        throw new ReservationRefused({ kind: 'unavailable', products: JSON.parse(refusal.detail) as UnavailableProduct[] });
      }
      throw err;
    }
    const [first] = rows;
    if (!first?.r_created) return undefined;
    const reservation = new ReservationEntity();
    Object.assign(reservation, {
      orderId,
      status: first.r_status,
      expiresAt: first.r_expires_at,
      createdAt: first.r_created_at,
      updatedAt: first.r_updated_at,
    });
    reservation.items = rows.map((row) =>
      Object.assign(new ReservationItemEntity(), {
        orderId,
        productId: row.r_product_id,
        name: row.r_name,
        quantity: row.r_quantity,
        unitPrice: Number(row.r_unit_price),
      }),
    );
    return reservation;
  }

  /**
   * Records that an order's stock was released before any reservation for it arrived: a
   * reservation row `released` with no items. A reserve for that order that was delayed on the
   * way then finds the id taken and is refused, instead of holding stock for an order that is
   * already given up. Does nothing when the order has a reservation.
   */
  async insertReleasedMarker(manager: EntityManager, orderId: string): Promise<void> {
    await manager.query(
      `INSERT INTO reservations (order_id, status, expires_at) VALUES ($1, 'released', now()) ON CONFLICT (order_id) DO NOTHING`,
      [orderId],
    );
  }

  /**
   * Held reservations (reserved or confirmed) created in [`createdAfter`, `createdBefore`), oldest first,
   * after the keyset cursor `after` (the `cursor` of the previous page's last row: its
   * created_at at full precision and its order id).
   */
  async listHeld(
    createdAfter: Date | null,
    createdBefore: Date,
    limit: number,
    after?: { createdAt: string; orderId: string },
  ): Promise<Array<{ orderId: string; status: ReservationStatus; createdAt: Date; cursor: { createdAt: string; orderId: string } }>> {
    const rows: Array<{ order_id: string; status: ReservationStatus; created_at: Date; created_at_text: string }> =
      await this.dataSource.query(
        `SELECT order_id, status, created_at, created_at::text AS created_at_text FROM reservations
          WHERE status IN ('reserved', 'confirmed') AND created_at < $1
            AND ($5::timestamptz IS NULL OR created_at >= $5::timestamptz)
            AND ($3::timestamptz IS NULL OR (created_at, order_id) > ($3::timestamptz, $4::uuid))
          ORDER BY created_at, order_id
          LIMIT $2`,
        [createdBefore, limit, after?.createdAt ?? null, after?.orderId ?? null, createdAfter],
      );
    return rows.map((r) => ({
      orderId: r.order_id,
      status: r.status,
      createdAt: r.created_at,
      cursor: { createdAt: r.created_at_text, orderId: r.order_id },
    }));
  }

  /** The reservations of these orders with their items (unknown ids are absent). */
  findManyWithItems(orderIds: readonly string[]): Promise<ReservationEntity[]> {
    return this.dataSource.manager.find(ReservationEntity, {
      where: { orderId: In([...orderIds]) },
      relations: { items: true },
      order: { orderId: 'ASC', items: { productId: 'ASC' } },
    });
  }

  /** Locks the reservation (FOR UPDATE) and tells whether its time is up while still reserved. */
  async lock(manager: EntityManager, orderId: string): Promise<{ status: ReservationStatus; due: boolean } | undefined> {
    const rows: Array<{ status: ReservationStatus; due: boolean }> = await manager.query(
      `SELECT status, (status = 'reserved' AND expires_at <= now()) AS due
       FROM reservations WHERE order_id = $1 FOR UPDATE`,
      [orderId],
    );
    return rows[0];
  }

  /** Locks up to `limit` reservations past their time, skipping any another transaction holds. */
  async lockDue(manager: EntityManager, limit: number): Promise<string[]> {
    const rows: Array<{ order_id: string }> = await manager.query(
      `SELECT order_id FROM reservations
       WHERE status = 'reserved' AND expires_at <= now()
       ORDER BY expires_at
       LIMIT $1
       FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map((row) => row.order_id);
  }

  /** Gives back exactly the quantities the reservations took. The caller holds their locks. */
  async returnStock(manager: EntityManager, orderIds: readonly string[]): Promise<void> {
    // Lock the products in id order first, the order reserve takes them in, so the two never deadlock.
    await manager.query(
      `SELECT id FROM products
       WHERE id IN (SELECT product_id FROM reservation_items WHERE order_id = ANY($1::uuid[]))
       ORDER BY id
       FOR UPDATE`,
      [orderIds],
    );
    await manager.query(
      `UPDATE products p
       SET stock = p.stock + taken.quantity, updated_at = now()
       FROM (SELECT product_id, sum(quantity) AS quantity
             FROM reservation_items WHERE order_id = ANY($1::uuid[])
             GROUP BY product_id) AS taken
       WHERE p.id = taken.product_id`,
      [orderIds],
    );
  }

  async setStatus(manager: EntityManager, orderIds: readonly string[], status: ReservationStatus): Promise<void> {
    await manager.query(`UPDATE reservations SET status = $2, updated_at = now() WHERE order_id = ANY($1::uuid[])`, [orderIds, status]);
  }
}
