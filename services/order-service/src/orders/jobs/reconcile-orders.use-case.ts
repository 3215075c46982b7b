import { UpstreamRejectionError } from '@shop/errors';
import type { Logger } from '@shop/observability';
import type { ReservationDto } from '@shop/service-client';
import type { OrderEntity } from '../order.entity';
import type { ChangeCursor, Clock, OrderProducts, OrderStore, PassClaim } from '../order.ports';
import { isLive } from '../order-status.rules';

export interface ReconciliationOptions {
  /** Only what is older than this is judged: younger disagreements are placements and cancels still finishing. */
  settleMs: number;
  /** How far back the very first pass looks (no pass has settled anywhere yet). */
  windowMs: number;
  pageSize: number;
  /**
   * How far each pass reaches back before where the previous one settled (default `settleMs`):
   * a change committed late, by a transaction that started before that point, is still seen.
   */
  overlapMs?: number;
  /** How long a claimed pass keeps other replicas out (default 10 min); after it, another may run it again (harmless). */
  leaseMs?: number;
}

/** What the reconciliation asks of the Product service. */
export type ReconciliationProducts = Pick<OrderProducts, 'listHeldReservations' | 'lookupReservations' | 'release' | 'reserve'>;

/** What one pass found, by kind; `repaired` counts what it put right. */
export interface ReconciliationReport {
  /** Another replica held the pass: this one did nothing. */
  skipped: boolean;
  reservationsChecked: number;
  ordersChecked: number;
  /** A confirmed reservation whose order does not exist or is cancelled: its stock was released. */
  orphanReservations: string[];
  /** A live order with no reservation at all: its stock was reserved again. */
  missingReservations: string[];
  /** A live order whose reservation no longer holds its lines (released, expired, other lines): left for an operator. */
  unheldOrders: string[];
  repaired: number;
}

const HELD = new Set(['reserved', 'confirmed']);
/** The row in reconciliation_passes that remembers where the last pass settled. */
const PASS = 'reservations-orders';
const DEFAULT_LEASE_MS = 10 * 60_000;

/**
 * Reservations and orders must never disagree for long: every confirmed reservation has a live
 * order and every live order a confirmed reservation with the same lines. The placement and
 * cancel protocols keep it so; this pass finds anything left in between (a lost database, a
 * bug, a hand edit) in both directions and repairs what can be repaired without guessing:
 * stock held for no order goes back, an order whose reservation vanished is reserved again.
 * Stock that went back under a live order is not taken again silently (it may be sold by now):
 * it is logged and counted for an operator.
 *
 * Its cost follows the order rate, not the volume kept: a pass judges only what settled since
 * the previous pass settled (PostgreSQL remembers where, so a restart or another replica
 * carries on from there) — reservations created, and orders confirmed or changed, in that span,
 * plus a short overlap. An order is judged after it is placed and after each change of its
 * status, each time about twice at most, instead of on every pass for a day.
 */
export class ReconcileOrders {
  constructor(
    private readonly deps: { store: OrderStore; products: ReconciliationProducts; logger: Logger; clock: Pick<Clock, 'now'> },
    private readonly options: ReconciliationOptions,
  ) {}

  /** One pass: reservations without a live order, then the orders that changed, each repaired or reported. */
  async execute(now = new Date(this.deps.clock.now())): Promise<ReconciliationReport> {
    const report: ReconciliationReport = {
      skipped: false,
      reservationsChecked: 0,
      ordersChecked: 0,
      orphanReservations: [],
      missingReservations: [],
      unheldOrders: [],
      repaired: 0,
    };
    const orders = this.deps.store.orders;
    const settled = new Date(now.getTime() - this.options.settleMs);
    const claim = await orders.claimPass(PASS, new Date(now.getTime() - this.options.windowMs), this.options.leaseMs ?? DEFAULT_LEASE_MS);
    if (!claim) return { ...report, skipped: true };
    const from = new Date(claim.settledUntil.getTime() - (this.options.overlapMs ?? this.options.settleMs));
    try {
      await this.reservationsWithoutOrders(from, settled, report);
      await this.changedOrders(from, settled, report);
    } catch (err) {
      // Not settled: the next pass covers this span again.
      await this.end(claim, null);
      throw err;
    }
    await this.end(claim, settled);
    return report;
  }

  private async end(claim: PassClaim, settled: Date | null): Promise<void> {
    if (!(await this.deps.store.orders.endPass(PASS, claim, settled))) {
      this.deps.logger.warn('reconciliation: the pass outlived its lease and another replica took it; its progress is not recorded');
    }
  }

  private async reservationsWithoutOrders(from: Date, settled: Date, report: ReconciliationReport): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await this.deps.products.listHeldReservations({
        createdAfter: from,
        createdBefore: settled,
        cursor,
        limit: this.options.pageSize,
      });
      // `reserved` ones belong to callers that let them expire; the Order service holds `confirmed` ones.
      const confirmed = page.reservations.filter((r) => r.status === 'confirmed');
      report.reservationsChecked += confirmed.length;
      const statuses = await this.deps.store.orders.statusesOf(confirmed.map((r) => r.orderId));
      for (const { orderId } of confirmed) {
        const status = statuses.get(orderId);
        // Pending and abandoned orders are the sweeper's and the relay's to finish.
        if (status !== undefined && status !== 'cancelled') continue;
        await this.releaseOrphan(orderId, status ?? 'missing', report);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /**
   * Orders confirmed or changed in the span. A cancelled one is judged here too: its cancel may
   * come long after its reservation was created (and judged), and its stock must not stay held.
   */
  private async changedOrders(from: Date, settled: Date, report: ReconciliationReport): Promise<void> {
    let after: ChangeCursor | undefined;
    for (;;) {
      const { orders, next } = await this.deps.store.orders.listChanged(from, settled, this.options.pageSize, after);
      if (orders.length === 0) return;
      report.ordersChecked += orders.length;
      const reservations = new Map((await this.deps.products.lookupReservations(orders.map((o) => o.id))).map((r) => [r.orderId, r]));
      for (const order of orders) await this.check(order, reservations.get(order.id), report);
      after = next;
      if (orders.length < this.options.pageSize) return;
    }
  }

  private async releaseOrphan(orderId: string, orderStatus: string, report: ReconciliationReport): Promise<void> {
    report.orphanReservations.push(orderId);
    this.deps.logger.warn({ orderId, orderStatus }, 'reconciliation: stock held for an order that is not live; releasing it');
    await this.deps.products.release(orderId);
    report.repaired += 1;
  }

  private async check(order: OrderEntity, reservation: ReservationDto | undefined, report: ReconciliationReport): Promise<void> {
    if (order.status === 'cancelled') {
      if (reservation?.status === 'confirmed') await this.releaseOrphan(order.id, order.status, report);
      return;
    }
    if (!isLive(order.status)) return;
    const lines = (order.items ?? []).map((i) => ({ productId: i.productId, quantity: i.quantity }));
    if (!reservation) {
      report.missingReservations.push(order.id);
      try {
        await this.deps.products.reserve(order.id, lines, { confirm: true });
        report.repaired += 1;
        this.deps.logger.warn({ orderId: order.id }, 'reconciliation: a live order had no reservation; its stock is reserved again');
      } catch (err) {
        if (!(err instanceof UpstreamRejectionError)) throw err;
        this.deps.logger.error(
          { err, orderId: order.id },
          'reconciliation: a live order has no reservation and its stock cannot be reserved again',
        );
      }
      return;
    }
    if (HELD.has(reservation.status) && sameLines(reservation, lines)) return;
    report.unheldOrders.push(order.id);
    this.deps.logger.error(
      { orderId: order.id, orderStatus: order.status, reservationStatus: reservation.status },
      'reconciliation: a live order whose reservation does not hold its lines; needs an operator',
    );
  }
}

function sameLines(reservation: ReservationDto, lines: ReadonlyArray<{ productId: string; quantity: number }>): boolean {
  const held = new Map(reservation.items.map((i) => [i.productId, i.quantity]));
  return held.size === lines.length && lines.every((l) => held.get(l.productId) === l.quantity);
}
