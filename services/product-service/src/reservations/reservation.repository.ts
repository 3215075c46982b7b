import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ReservationStatus } from '@shop/service-client';
import { hydrateFirst } from '../database/rows';
import { ProductEntity } from '../products/product.entity';
import { ReservationItemEntity } from './reservation-item.entity';
import { ReservationEntity } from './reservation.entity';

export interface ReservedLine {
  productId: string;
  name: string;
  quantity: number;
  unitPrice: number;
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
   * Claims the order id with a new reservation (without items yet). A concurrent claim of the
   * same id waits here until the first transaction ends; undefined when the id was taken.
   */
  async insertIfAbsent(manager: EntityManager, orderId: string, ttlMs: number): Promise<ReservationEntity | undefined> {
    const rows: Record<string, unknown>[] = await manager.query(
      `INSERT INTO reservations (order_id, status, expires_at)
       VALUES ($1, 'reserved', now() + $2 * interval '1 millisecond')
       ON CONFLICT (order_id) DO NOTHING
       RETURNING *`,
      [orderId, ttlMs],
    );
    return hydrateFirst(manager, ReservationEntity, rows);
  }

  /** Takes stock from an active product that has enough; undefined when it is unknown, inactive or short. */
  async takeStock(manager: EntityManager, productId: string, quantity: number): Promise<ProductEntity | undefined> {
    const { raw } = await manager
      .createQueryBuilder()
      .update(ProductEntity)
      .set({ stock: () => 'stock - :quantity' })
      .where('id = :productId AND is_active AND stock >= :quantity', { productId, quantity })
      .returning('*')
      .execute();
    return hydrateFirst(manager, ProductEntity, raw);
  }

  async insertItems(manager: EntityManager, orderId: string, lines: readonly ReservedLine[]): Promise<ReservationItemEntity[]> {
    const items = lines.map((line) => manager.create(ReservationItemEntity, { orderId, ...line }));
    await manager.insert(ReservationItemEntity, items);
    return items;
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
