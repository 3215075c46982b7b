import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '@shop/errors';
import { ReservationLineInput, ReservationStatus } from '@shop/contracts';
import { APP_CONFIG } from '@shop/nest-kit';
import { ProductServiceConfig } from '../config';
import { insufficientStock, productsInactive, productsNotFound } from '../products/product.errors';
import { ReservationEntity } from './reservation.entity';
import { reservationMismatch, reservationNotActive, reservationNotFound } from './reservation.errors';
import { ReservationRefused, ReservationRepository } from './reservation.repository';
import { isHeld, mergeLines, sameLines } from './reservation.rules';

export interface ReserveInput {
  orderId: string;
  items: readonly ReservationLineInput[];
  /**
   * Hold the stock as `confirmed` from the start (no expiry): for a caller that records its own
   * intent before reserving and gives the stock back itself when it fails (the Order service).
   * Otherwise the reservation is `reserved` and expires unless confirmed in time.
   */
  confirm?: boolean;
}

/** Held reservations created before a time, a keyset page at a time (for the Order service's reconciliation). */
export interface HeldPageQuery {
  createdAfter?: Date;
  createdBefore: Date;
  limit: number;
  after?: { createdAt: string; orderId: string };
}

/**
 * Stock held for orders. Reserving takes every line or none, in one statement; every step is
 * idempotent by order id, so the Order service can repeat any call after a timeout.
 */
@Injectable()
export class ReservationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reservations: ReservationRepository,
    @Inject(APP_CONFIG) private readonly config: ProductServiceConfig,
  ) {}

  /**
   * Checks, prices and reserves every line in one round trip to the database. `created` is false
   * when the order already had this reservation (nothing moved this time).
   */
  async reserve(input: ReserveInput): Promise<{ reservation: ReservationEntity; created: boolean }> {
    const orderId = input.orderId.toLowerCase();
    const lines = mergeLines(input.items);
    const status: ReservationStatus = input.confirm ? 'confirmed' : 'reserved';
    let created: ReservationEntity | undefined;
    try {
      created = await this.reservations.reserveAll(orderId, lines, status, this.config.RESERVATION_TTL_MS);
    } catch (err) {
      if (err instanceof ReservationRefused) throw refusalError(err);
      throw err;
    }
    if (created) return { reservation: created, created: true };
    return { reservation: await this.repeated(orderId, lines, input.confirm === true), created: false };
  }

  /** reserved → confirmed: the order exists, the stock is sold. Repeating it changes nothing. */
  async confirm(orderId: string): Promise<ReservationEntity> {
    const reservation = await this.withLocked(orderId, async (status, manager) => {
      if (status === 'reserved') await this.reservations.setStatus(manager, [orderId], 'confirmed');
    });
    if (!isHeld(reservation.status)) throw reservationNotActive(reservation.orderId, reservation.status);
    return reservation;
  }

  /**
   * Gives the stock back (from reserved or confirmed). Repeating it, or releasing an expired one,
   * changes nothing. Releasing an order that has no reservation yet records it as released, so
   * that a reserve for it still on its way is refused rather than holding stock nobody will sell.
   */
  async release(orderId: string): Promise<ReservationEntity> {
    const id = orderId.toLowerCase();
    return this.withLocked(
      id,
      async (status, manager) => {
        if (!isHeld(status)) return;
        await this.reservations.returnStock(manager, [id]);
        await this.reservations.setStatus(manager, [id], 'released');
      },
      { markReleasedIfAbsent: true },
    );
  }

  /** A page of held reservations (see HeldPageQuery). */
  listHeld(query: HeldPageQuery) {
    return this.reservations.listHeld(query.createdAfter ?? null, query.createdBefore, query.limit, query.after);
  }

  /** The reservations of these orders, with their lines; orders without one are left out. */
  findMany(orderIds: readonly string[]): Promise<ReservationEntity[]> {
    return this.reservations.findManyWithItems(orderIds.map((id) => id.toLowerCase()));
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

  /**
   * The same order id again: the recorded reservation, if the request matches it and it still
   * holds stock (a repeat that asks for `confirm` confirms a reservation still `reserved`).
   */
  private async repeated(orderId: string, lines: readonly ReservationLineInput[], confirm: boolean): Promise<ReservationEntity> {
    const reservation = await this.withLocked(orderId, async (status, manager) => {
      if (confirm && status === 'reserved') await this.reservations.setStatus(manager, [orderId], 'confirmed');
    });
    // A released one (a release that overtook this reserve among them) is refused whatever it held.
    if (!isHeld(reservation.status)) throw reservationNotActive(orderId, reservation.status);
    if (!sameLines(reservation.items, lines)) throw reservationMismatch(orderId);
    return reservation;
  }

  /**
   * Runs `change` in a transaction holding the reservation's row lock, after expiring the
   * reservation if its time is up (so no step acts on stale stock), and returns the result.
   */
  private withLocked(
    orderId: string,
    change: (status: ReservationStatus, manager: EntityManager) => Promise<void>,
    options: { markReleasedIfAbsent?: boolean } = {},
  ): Promise<ReservationEntity> {
    return this.dataSource.transaction(async (manager) => {
      if (options.markReleasedIfAbsent) await this.reservations.insertReleasedMarker(manager, orderId);
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
}

/**
 * A refused reservation as the API states it: 404 when a product is unknown, else 409 when one
 * is inactive (both list every unavailable product with its reason); else the line short of stock (409).
 */
function refusalError({ refusal }: ReservationRefused): AppError {
  if (refusal.kind === 'short') {
    const { line } = refusal;
    return insufficientStock({ id: line.productId, name: line.name ?? line.productId, stock: line.available ?? 0 }, line.requested);
  }
  if (refusal.products.some((p) => p.reason === 'not_found')) return productsNotFound(refusal.products);
  return productsInactive(refusal.products.map((p) => ({ id: p.productId, name: p.name ?? p.productId })));
}
