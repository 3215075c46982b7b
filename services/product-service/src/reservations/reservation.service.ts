import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '@shop/errors';
import { ReservationLineInput, ReservationStatus } from '@shop/service-client';
import { APP_CONFIG } from '../app.deps';
import { ProductServiceConfig } from '../config';
import { insufficientStock, productInactive, productNotFound } from '../products/product.errors';
import { ProductRepository } from '../products/product.repository';
import { ReservationEntity } from './reservation.entity';
import { reservationMismatch, reservationNotActive, reservationNotFound } from './reservation.errors';
import { ReservationRepository, ReservedLine } from './reservation.repository';
import { isHeld, mergeLines, sameLines } from './reservation.rules';

export interface ReserveInput {
  orderId: string;
  items: readonly ReservationLineInput[];
}

/**
 * Stock held for orders. Reserving takes every line or none, in one transaction; every step is
 * idempotent by order id, so the Order service can repeat any call after a timeout.
 */
@Injectable()
export class ReservationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reservations: ReservationRepository,
    private readonly products: ProductRepository,
    @Inject(APP_CONFIG) private readonly config: ProductServiceConfig,
  ) {}

  /** `created` is false when the order already had this reservation (nothing moved this time). */
  async reserve(input: ReserveInput): Promise<{ reservation: ReservationEntity; created: boolean }> {
    const orderId = input.orderId.toLowerCase();
    const lines = mergeLines(input.items);
    const created = await this.dataSource.transaction(async (manager) => {
      // Concurrent requests for one order serialize on this insert; the later ones find the first's row.
      const reservation = await this.reservations.insertIfAbsent(manager, orderId, this.config.RESERVATION_TTL_MS);
      if (!reservation) return undefined;
      const reserved: ReservedLine[] = [];
      for (const line of lines) {
        const product = await this.reservations.takeStock(manager, line.productId, line.quantity);
        // Throwing rolls back the lines already taken and the claim on the order id.
        if (!product) throw await this.whyRefused(manager, line);
        reserved.push({ productId: product.id, name: product.name, quantity: line.quantity, unitPrice: product.price });
      }
      reservation.items = await this.reservations.insertItems(manager, orderId, reserved);
      return reservation;
    });
    if (created) return { reservation: created, created: true };
    return { reservation: await this.repeated(orderId, lines), created: false };
  }

  /** reserved → confirmed: the order exists, the stock is sold. Repeating it changes nothing. */
  async confirm(orderId: string): Promise<ReservationEntity> {
    const reservation = await this.withLocked(orderId, async (status, manager) => {
      if (status === 'reserved') await this.reservations.setStatus(manager, [orderId], 'confirmed');
    });
    if (!isHeld(reservation.status)) throw reservationNotActive(reservation.orderId, reservation.status);
    return reservation;
  }

  /** Gives the stock back (from reserved or confirmed). Repeating it, or releasing an expired one, changes nothing. */
  release(orderId: string): Promise<ReservationEntity> {
    return this.withLocked(orderId, async (status, manager) => {
      if (!isHeld(status)) return;
      await this.reservations.returnStock(manager, [orderId]);
      await this.reservations.setStatus(manager, [orderId], 'released');
    });
  }

  async get(orderId: string): Promise<ReservationEntity> {
    const reservation = await this.reservations.findWithItems(orderId);
    if (!reservation) throw reservationNotFound(orderId);
    return reservation;
  }

  /**
   * Returns the stock of reservations not confirmed in time, a batch per transaction. Rows
   * another transaction holds are skipped (several instances may sweep at once).
   */
  async expireDue(batchSize = 100): Promise<number> {
    let expired = 0;
    for (;;) {
      const count = await this.dataSource.transaction(async (manager) => {
        const orderIds = await this.reservations.lockDue(manager, batchSize);
        if (orderIds.length > 0) await this.expireLocked(manager, orderIds);
        return orderIds.length;
      });
      expired += count;
      if (count < batchSize) return expired;
    }
  }

  /** The same order id again: the recorded reservation, if the request matches it and it still holds stock. */
  private async repeated(orderId: string, lines: readonly ReservationLineInput[]): Promise<ReservationEntity> {
    const reservation = await this.withLocked(orderId, async () => {});
    if (!sameLines(reservation.items, lines)) throw reservationMismatch(orderId);
    if (!isHeld(reservation.status)) throw reservationNotActive(orderId, reservation.status);
    return reservation;
  }

  /**
   * Runs `change` in a transaction holding the reservation's row lock, after expiring the
   * reservation if its time is up (so no step acts on stale stock), and returns the result.
   */
  private withLocked(
    orderId: string,
    change: (status: ReservationStatus, manager: EntityManager) => Promise<void>,
  ): Promise<ReservationEntity> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await this.reservations.lock(manager, orderId);
      if (!locked) throw reservationNotFound(orderId);
      let status = locked.status;
      if (locked.due) {
        await this.expireLocked(manager, [orderId]);
        status = 'expired';
      }
      await change(status, manager);
      const reservation = await this.reservations.findWithItems(orderId, manager);
      if (!reservation) throw reservationNotFound(orderId);
      return reservation;
    });
  }

  private async expireLocked(manager: EntityManager, orderIds: readonly string[]): Promise<void> {
    await this.reservations.returnStock(manager, orderIds);
    await this.reservations.setStatus(manager, orderIds, 'expired');
  }

  /** A line's conditional update matched nothing: is the product unknown, withdrawn, or short? */
  private async whyRefused(manager: EntityManager, line: ReservationLineInput): Promise<AppError> {
    const product = await this.products.findById(line.productId, manager);
    if (!product) return productNotFound(line.productId);
    if (!product.isActive) return productInactive(product);
    return insufficientStock(product, line.quantity);
  }
}
